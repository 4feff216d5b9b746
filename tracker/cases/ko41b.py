"""The KO41(b) return of written complaints: its national lists (ko41b.yaml) and how each
formal complaint is coded for it. The return itself is made in reports/ko41b.py.

Each aspect of a complaint (a subject area with the staff group it concerns) is recorded; the
patient's age band is worked out from the date of birth on the day the complaint was received,
and the complainant's status from whether someone acts for the patient.
"""

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import yaml
from sqlalchemy import select

from tracker.cases.models import Case, ComplaintAspect
from tracker.extensions import db

LISTS_FILE = Path(__file__).with_name("ko41b.yaml")


@dataclass(frozen=True)
class Item:
    code: str
    label: str


@dataclass(frozen=True)
class AgeBand(Item):
    low: int | None
    high: int | None

    def holds(self, age: int | None) -> bool:
        if self.low is None:
            return age is None
        return age is not None and age >= self.low and (self.high is None or age <= self.high)


@dataclass(frozen=True)
class Lists:
    """One set of the return's lists, from the year it applies from."""

    from_year: int
    checked: bool
    age_bands: tuple[AgeBand, ...]
    complainant_statuses: tuple[Item, ...]
    subject_areas: tuple[Item, ...]
    staff_groups: tuple[Item, ...]

    def subject_label(self, code: str) -> str:
        return _label(self.subject_areas, code)

    def staff_label(self, code: str) -> str:
        return _label(self.staff_groups, code)


def _label(items: tuple[Item, ...], code: str) -> str:
    return next((i.label for i in items if i.code == code), code)


@cache
def all_lists() -> tuple[Lists, ...]:
    """Every set in ko41b.yaml, oldest first."""
    raw = yaml.safe_load(LISTS_FILE.read_text(encoding="utf-8"))["sets"]
    return tuple(
        sorted(
            (
                Lists(
                    from_year=entry["from_year"],
                    checked=bool(entry["checked"]),
                    age_bands=tuple(AgeBand(**band) for band in entry["age_bands"]),
                    complainant_statuses=tuple(Item(**i) for i in entry["complainant_statuses"]),
                    subject_areas=tuple(Item(**i) for i in entry["subject_areas"]),
                    staff_groups=tuple(Item(**i) for i in entry["staff_groups"]),
                )
                for entry in raw
            ),
            key=lambda lists: lists.from_year,
        )
    )


def lists_for(year: int) -> Lists:
    """The lists the return of the year from 1 April `year` is made with."""
    found = [lists for lists in all_lists() if lists.from_year <= year]
    return found[-1] if found else all_lists()[0]


def return_year_of(day: date) -> int:
    """The return year (from 1 April) a day falls in."""
    return day.year if day.month >= 4 else day.year - 1


def age_band(case: Case, lists: Lists) -> AgeBand:
    """The band of the patient's age on the day the complaint was received."""
    return next(band for band in lists.age_bands if band.holds(case.age_on_receipt))


def complainant_status(case: Case) -> str:
    """ "on_behalf" when someone acts for the patient, else "patient"."""
    return "on_behalf" if case.made_on_behalf else "patient"


def aspects_of(case_id: int) -> list[ComplaintAspect]:
    return list(
        db.session.scalars(
            select(ComplaintAspect)
            .where(ComplaintAspect.case_id == case_id)
            .order_by(ComplaintAspect.id)
        )
    )
