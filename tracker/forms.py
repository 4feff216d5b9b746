"""The forms' base class and small helpers shared by every feature's forms."""

from collections.abc import Iterable

from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import HiddenInput

_HIDDEN = Markup('<input id="{}" name="{}" type="hidden" value="{}">')


class Form(FlaskForm):
    """Every form of the app: Flask-WTF's, with its CSRF token, drawing hidden fields (the
    token, a case's version) straight to the markup WTForms gives them, at a fifth of the
    cost of its general attribute writer (a tenth of the sign-in page's time went there)."""

    class Meta:
        def render_field(self, field, render_kw):
            widget = field.widget
            if (
                not render_kw
                and not field.render_kw
                and type(widget) is HiddenInput
                and not any(getattr(field.flags, flag, False) for flag in widget.validation_attrs)
            ):
                return _HIDDEN.format(field.id, field.name, field._value())
            return super().render_field(field, render_kw)


def choices(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """Radio or select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def strip(value: str | None) -> str | None:
    """Filter: drop spaces typed before or after a value."""
    return value.strip() if isinstance(value, str) else value


class PageOrder:
    """A form whose fields (and so its error summary) come in the order the page shows them,
    not the order its parts were defined in. Put it first among the form's bases."""

    page_order: tuple[str, ...] = ()

    def __iter__(self):
        rank = {name: n for n, name in enumerate(self.page_order)}
        return iter(sorted(super().__iter__(), key=lambda field: rank.get(field.name, len(rank))))
