"""Flask's template environment, made cheaper for GOV.UK Frontend's macros: template globals that Jinja can read
without a Python loop per name, layout parts drawn once per language and page, queue rows drawn once for what they
show, and question widgets drawn once for the same question, language and choice."""

from collections import ChainMap
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import Flask, current_app
from flask.templating import Environment
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup


class TemplateGlobals(ChainMap):
    """A template's globals over the environment's, live, exactly as Jinja's own ChainMap.

    Jinja reads them in bulk far more often than one would guess: every `{% from … import … %}` subtracts their keys
    from the caller's, and every render or include copies them into a new context. A plain ChainMap answers each of
    those with a Python call per name (and, for the copy, a KeyError per name from the empty template-level map).
    GOV.UK Frontend's macros import their helpers and include their template on every call, several times per form
    field, so on a question page that was a fifth of the request's time. These answer with dict operations instead.
    """

    def keys(self):
        merged = {}
        for mapping in reversed(self.maps):
            merged.update(mapping)
        return merged.keys()

    def __getitem__(self, key):
        for mapping in self.maps:
            if key in mapping:
                return mapping[key]
        return self.__missing__(key)


class FragmentCache:
    """HTML drawn once and then reused: `{% call cached_fragment("footer", page_language) %}…{% endcall %}` draws
    what it wraps the first time it meets that key, and afterwards gives back that HTML.

    Only for HTML that depends on nothing but its key: the page's language, the page's address, never the person
    asking (no CSRF token, nothing from the session). The header and footer drawn by GOV.UK Frontend's macros took a
    sixth of a question page's time, every time the same. Each app keeps its own (its configuration may differ),
    and starts again when `size` keys have been drawn, as a hostile client asking for endless addresses would make
    it.
    """

    def __init__(self, size: int):
        self.size = size
        self.fragments: dict[tuple, Markup] = {}

    def __call__(self, *key, caller) -> Markup:
        html = self.fragments.get(key)
        if html is None:
            html = Markup(caller())  # noqa: S704 - a template's own output, escaped as it was drawn
            if len(self.fragments) >= self.size:
                self.fragments.clear()
            self.fragments[key] = html
        return html


# Where the CSRF token goes in a fragment drawn for everyone alike (`TokenFragmentCache`).
CSRF_SLOT = "portal-csrf-token-slot"


class TokenFragmentCache(FragmentCache):
    """Fragments whose only part that belongs to the person asking is the CSRF token of a form in them (the staff
    area's sign-out button): drawn once with `csrf_slot` where the token goes, which is then put in afresh for
    each request. The staff navigation and the idle warning were a tenth of a queue page's time."""

    def __call__(self, *key, caller) -> Markup:
        html = super().__call__(*key, caller=caller)
        return html.replace(CSRF_SLOT, generate_csrf())  # Markup escapes the token as it puts it in


class PortalEnvironment(Environment):
    def __init__(self, app, **options):
        super().__init__(app, **options)
        self.layout_fragments = FragmentCache(size=1024)  # a kilobyte or two each
        self.token_fragments = TokenFragmentCache(size=256)  # a kilobyte or two each
        self.widgets = FragmentCache(size=512)  # up to ten kilobytes each
        # The queue's rows, by every column a row shows (the officer's name, the strands and area, never a resident's
        # answers): fifty a page, the same ones all day, were half of the page's drawing.
        self.queue_rows = FragmentCache(size=4096)  # under a kilobyte each

    def make_globals(self, d):
        return TemplateGlobals(d if d is not None else {}, self.globals)


class PortalFlask(Flask):
    """Flask with the environment above: nothing else differs."""

    jinja_environment = PortalEnvironment


# Widgets that show what the person typed; their HTML is never kept.
TYPED = frozenset(
    f"govuk_frontend_wtf/{name}.html" for name in ("input", "textarea", "charactercount", "password", "date")
)
_drawing_once: ContextVar[dict | None] = ContextVar("drawing_once", default=None)


@contextmanager
def widgets_drawn_once() -> Iterator[None]:
    """Within this, a question's widget is drawn once per app for the same params, and its HTML reused.

    For pages whose widgets' params hold only our own words, what admins set (area and partner names) and which
    fixed options are chosen: the residents' question pages and the referral page's decisions. A widget that shows
    something typed (a text box, a date with a value) is drawn afresh and never kept, and once one has been, no
    widget after it that embeds HTML (a conditional reveal) is kept either. The same params always draw the same
    HTML, so nothing drawn for one person can reach another. Questions were a quarter of a question page's time.
    """
    token = _drawing_once.set({"typed": False})
    try:
        yield
    finally:
        _drawing_once.reset(token)


def draw_widget(template_name: str, params: dict) -> Markup:
    """A govuk-frontend-wtf widget's HTML for `params` (from its cache within widgets_drawn_once)."""
    environment = current_app.jinja_env

    def draw() -> Markup:
        return Markup(environment.get_template(template_name).render(params=params))  # noqa: S704

    drawing = _drawing_once.get()
    if drawing is None:
        return draw()
    if template_name in TYPED and _holds_typing(params):
        drawing["typed"] = True
        return draw()
    try:
        key = _frozen(params, html_allowed=not drawing["typed"])
    except _CannotKeep:
        return draw()
    return environment.widgets(template_name, key, caller=draw)


def _holds_typing(params: dict) -> bool:
    return bool(params.get("value")) or any(isinstance(i, dict) and i.get("value") for i in params.get("items", ()))


class _CannotKeep(Exception):
    pass


def _frozen(value, *, html_allowed: bool):
    """`value` as a key that tells apart everything that changes the HTML: markup from text, 1 from True."""
    if isinstance(value, str):
        if isinstance(value, Markup):
            if not html_allowed:
                raise _CannotKeep
            return ("html", str(value))
        return value
    if isinstance(value, dict):
        return ("dict", *((key, _frozen(item, html_allowed=html_allowed)) for key, item in value.items()))
    if isinstance(value, list | tuple):
        return ("list", *(_frozen(item, html_allowed=html_allowed) for item in value))
    if hasattr(value, "__html__"):  # a lazy translation: our own words, drawn as given
        return ("html", str(value.__html__()))
    if value is None or isinstance(value, bool | int | float):
        return (type(value).__name__, value)
    raise _CannotKeep
