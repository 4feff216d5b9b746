"""Stored codes that carry the words staff see: one definition for the code, its label and,
where the code is shown as a tag, the NHS.UK tag colour."""

from enum import StrEnum
from typing import Self


class Labelled(StrEnum):
    """A code stored in the database, written `NAME = "code", "Label"` (and a tag class).

    The member is the code itself (it compares equal to the stored string), so queries and
    stored values use the member and the page uses `.label`.
    """

    label: str
    tag: str

    def __new__(cls, value: str, label: str, tag: str = "") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        member.tag = tag
        return member

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(code, label) pairs in the order defined, for radios and selects."""
        return [(member.value, member.label) for member in cls]

    @classmethod
    def label_of(cls, code: str | None) -> str:
        """The label for a stored code; an unknown code is shown as it is."""
        try:
            return cls(code).label
        except ValueError:
            return "" if code is None else str(code)
