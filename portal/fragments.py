"""Parts of a page drawn once and kept, for the parts that cost more to draw than everything else on the page:
the queue's filter form is eight selects, and GOV.UK Frontend's macros take a quarter of the page's time to draw
them. A fragment is kept under everything it is drawn from (the macro, its arguments and the language), so it can
never show anything but what drawing it afresh would; nothing personal may go into one."""

from collections import OrderedDict
from threading import Lock

from flask import current_app, get_template_attribute
from flask_babel import get_locale
from markupsafe import Markup

KEPT = 128  # fragments per process, a few kilobytes each: every mix of filters officers use in a day


def cached_fragment(template: str, macro: str, **arguments) -> Markup:
    """`macro` of `template` called with `arguments` (each hashable: strings, numbers, tuples, frozen dataclasses),
    drawn once for each set of arguments and language."""
    fragments, lock = current_app.extensions.setdefault("portal.fragments", (OrderedDict(), Lock()))
    key = (template, macro, str(get_locale()), tuple(sorted(arguments.items())))
    with lock:
        if key in fragments:
            fragments.move_to_end(key)
            return fragments[key]
    drawn = get_template_attribute(template, macro)(**arguments)  # Markup: the templates escape what they show
    with lock:
        fragments[key] = drawn
        if len(fragments) > KEPT:
            fragments.popitem(last=False)
    return drawn
