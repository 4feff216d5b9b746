"""Small helpers shared by every feature's forms."""

from collections.abc import Iterable

from wtforms.fields.choices import SelectChoice


def choices(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """Radio or select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def strip(value: str | None) -> str | None:
    """Filter: drop spaces typed before or after a value."""
    return value.strip() if isinstance(value, str) else value
