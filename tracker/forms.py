"""Small helpers shared by every feature's forms."""

from collections.abc import Iterable

from wtforms.fields.choices import SelectChoice


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
