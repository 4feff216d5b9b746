"""The Jinja environment the pages render with.

Every `{% from "nhsuk/components/..." import ... %}` in a template asks, on every render,
which of the rendering context's globals the imported template lacks (Jinja's
`ctx.globals_keys - template.globals.keys()`). A template's globals are a `ChainMap` of its
own over the environment's, whose key view answers that one key at a time in Python: about
a thousand look-ups on a form page, a fifth of the sign-in page's time. Here the key view is
one set built in C from the layers as they are now, so the answer is the same (a global added
to the environment later is still seen) at a fraction of the cost.

The NHS.UK macros take their parameters as dicts and read them as `params.label`, which Jinja
answers by asking the dict for an attribute first: an `AttributeError` raised and caught for
every parameter read, over a thousand on the sign-in page. For a plain dict and a name that is
not one of a dict's own attributes, that attempt can only fail, so the key is looked up
straight away: the same answer, without the exception.
"""

from collections import ChainMap
from collections.abc import Mapping, MutableMapping

from flask.templating import Environment
from jinja2 import Undefined
from jinja2.runtime import Macro
from markupsafe import Markup, escape


class TemplateGlobals(ChainMap):
    """A template's globals: its own layer over the environment's, as Jinja makes them."""

    def keys(self):  # type: ignore[override] - a set answers `in` and `-` as a key view does
        return set().union(*self.maps)

    def __iter__(self):
        return iter(self.keys())


# A plain dict's attributes are its class's: an instance has no attributes of its own.
_DICT_ATTRIBUTES = frozenset(dir(dict))
_ABSENT = object()


class TrackerEnvironment(Environment):
    """Flask's environment, with `component` (below) among its globals."""

    def __init__(self, app, **options):
        super().__init__(app, **options)
        self.globals["component"] = Components(self)
        self.globals["slot"] = slot_marker

    def getattr(self, obj, attribute):
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            found = obj.get(attribute, _ABSENT)
            if found is _ABSENT:  # most optional parameters are absent: no exception for them
                return self.undefined(obj=obj, name=attribute)
            return found
        return super().getattr(obj, attribute)

    def make_globals(self, d: MutableMapping | None) -> TemplateGlobals:
        return TemplateGlobals(d or {}, self.globals)


class _Unkeyable(Exception):
    """Parameters holding something other than text, numbers, lists and dicts."""


def _frozen(value):
    """The parameters as a hashable key that tells apart everything the markup depends on:
    markup from text (one is escaped, the other not), True from 1, an absent value from
    None."""
    kind = type(value)
    if kind is str or kind is int or value is None:
        return value
    if kind is Markup:
        return (Markup, str(value))
    if kind is bool:
        return (bool, value)
    if kind is dict:
        return (dict, tuple((key, _frozen(item)) for key, item in value.items()))
    if kind is list or kind is tuple:
        return (list, tuple(_frozen(item) for item in value))
    if isinstance(value, Undefined):
        return Undefined
    raise _Unkeyable


class Components:
    """`component(name, params, keep=...)` in the templates: an NHS.UK component's markup,
    exactly as its macro draws it, kept and given again for the same parameters.

    The same empty form field, the same radios and the same button are drawn on every
    request: a form page spends most of its time in the design system's macros, and most of
    that on parameters it has drawn before. Only what the caller says may be kept is kept
    (`keep`): a field's markup is kept while it holds nothing a person typed and no error, so
    no patient's details stay in memory after the request that showed them. At most
    `LIMIT` drawings are kept per process; when full, the store starts again.
    """

    LIMIT = 2000

    def __init__(self, environment: Environment):
        self.environment = environment
        self.macros: dict[str, Macro] = {}
        self.kept: dict[tuple, Markup] = {}

    def macro(self, name: str) -> Macro:
        found = self.macros.get(name)
        if found is None:
            module = self.environment.get_template(f"nhsuk/components/{name}/macro.jinja").module
            head, *rest = name.split("-")
            found = getattr(module, head + "".join(word.title() for word in rest))
            self.macros[name] = found
        return found

    def __call__(
        self, name: str, params: dict, keep: bool = False, slots: dict | None = None
    ) -> Markup:
        drawn = self.drawn(name, params, keep)
        for slot, value in (slots or {}).items():
            drawn = drawn.replace(slot_marker(slot), value)  # Markup's replace escapes value
        return drawn

    def drawn(self, name: str, params: dict, keep: bool) -> Markup:
        if not keep:
            fast = DRAWN_IN_PYTHON.get(name)
            drawn = fast(params) if fast is not None else None
            return drawn if drawn is not None else self.macro(name)(params)
        try:
            key = (name, _frozen(params))
        except _Unkeyable:
            return self.macro(name)(params)
        drawn = self.kept.get(key)
        if drawn is None:
            drawn = self.macro(name)(params)
            if len(self.kept) >= self.LIMIT:
                self.kept.clear()
            self.kept[key] = drawn
        return drawn


def slot_marker(name: str) -> Markup:
    """`slot(name)` in the templates: a place in a kept component's parameters for a value
    that changes with every request (a form's CSRF token), filled by `component(...,
    slots={name: value})` after the component is drawn or found kept. An HTML comment: text
    a person typed is escaped, so it can never make one."""
    return Markup("<!--slot:{}-->").format(name)


# --- components drawn in Python for their common shapes ----------------------------------

_ROW = (
    '<div class="nhsuk-summary-list__row">\n'
    '  <dt class="nhsuk-summary-list__key">\n{}  </dt>\n'
    '  <dd class="nhsuk-summary-list__value">\n{}  </dd>\n'
    "</div>"
)
_CELL_PARTS = frozenset({"text", "html"})
_ROW_PARTS = frozenset({"key", "value"})


def _indent(text: str, width: int, first: bool = False) -> str:
    """Jinja's `indent` filter on plain text (blank lines left blank), without its markup
    handling: the caller escapes first."""
    lines = (text + "\n").splitlines()
    indention = " " * width
    found = lines.pop(0)
    if lines:
        found += "\n" + "\n".join(indention + line if line else line for line in lines)
    return indention + found if first else found


def _cell(part: dict) -> str:
    """A key or value as the row template draws it: its HTML, else its text trimmed and
    escaped, indented under the tag."""
    html, text = part.get("html"), part.get("text")
    if html:
        content = str(html).strip()  # markup by the component's contract (the macro's "| safe")
    elif text:
        content = str(escape(str(text).strip()) if not isinstance(text, Markup) else text.strip())
    else:
        return ""
    return "    " + _indent(content, 4) + "\n"


def summary_list(params: dict) -> Markup | None:
    """The NHS.UK summary list of rows with a key and a value (text or HTML) and nothing
    else, the markup its macro draws, character for character; None for any other shape,
    which the macro draws. A case page shows seven of them: through the macro they were two
    fifths of its time. tests/foundation/test_templating.py holds the two to the same output."""
    if params.keys() - {"rows"}:
        return None
    drawn = ['<dl class="nhsuk-summary-list">\n']
    for row in params.get("rows") or ():
        if type(row) is not dict:
            if isinstance(row, Mapping):
                return None
            continue  # the macro leaves out what is not a row (a `none` in the list)
        key, value = row.get("key"), row.get("value")
        if (
            row.keys() - _ROW_PARTS
            or type(key) is not dict
            or type(value) is not dict
            or key.keys() - _CELL_PARTS
            or value.keys() - _CELL_PARTS
        ):
            return None
        drawn.append(_indent(_ROW.format(_cell(key), _cell(value)), 2, first=True) + "\n")
    drawn.append("</dl>\n")
    return Markup("".join(drawn))  # noqa: S704 - text escaped above, html markup already


DRAWN_IN_PYTHON = {"summary-list": summary_list}
