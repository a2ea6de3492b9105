"""Flask's template environment, with template globals that Jinja can read without a Python loop per name."""

from collections import ChainMap

from flask import Flask
from flask.templating import Environment
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


class PortalEnvironment(Environment):
    def make_globals(self, d):
        return TemplateGlobals(d if d is not None else {}, self.globals)


class PortalFlask(Flask):
    """Flask with the environment above: nothing else differs."""

    jinja_environment = PortalEnvironment


class FragmentCache:
    """Parts of the layout drawn once and then reused: `{% call cached_fragment("footer", page_language) %}…
    {% endcall %}` draws what it wraps the first time it meets that key, and afterwards gives back that HTML.

    For HTML that depends on nothing but its key: the page's language, the page's address, never the person asking
    (no CSRF token, no answer, nothing from the session). The header and footer drawn by GOV.UK Frontend's macros
    took a sixth of a question page's time, every time the same. Each app keeps its own (its configuration may
    differ), and starts again when `size` keys have been drawn, as a hostile client asking for endless addresses
    would make it.
    """

    def __init__(self, size: int = 1024):
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
