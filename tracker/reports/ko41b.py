"""The KO41(b) return for a year (1 April to 31 March), in the return's own layout, with its
checks: a complaint counts once in the summary (the same figures as the annual complaints page,
`figures.complaints_year`); each of its aspects counts in the subject and staff group tables, so
those add up to at least the new complaints. Only new complaints are broken down, as the return
asks. A failing check names the cases to fix.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from tracker.cases.ko41b import Lists, age_band, complainant_status, lists_for
from tracker.cases.models import Case, ComplaintAspect
from tracker.extensions import db
from tracker.reports.figures import ComplaintsYear, complaints_year
from tracker.workdays import start_of_local_day


@dataclass(frozen=True)
class Check:
    """One of the return's own checks: what it asks, whether it holds, and the cases to fix."""

    rule: str
    holds: bool
    problem: str = ""
    cases: tuple[str, ...] = ()


@dataclass
class Ko41bReturn:
    summary: ComplaintsYear
    lists: Lists
    ages: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    subjects: dict[str, int] = field(default_factory=dict)
    staff_groups: dict[str, int] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.summary.label

    @property
    def all_hold(self) -> bool:
        return all(check.holds for check in self.checks)

    def rows(self) -> list[tuple[str, str, int]]:
        """(section, item, count) in the return's order, as it is keyed in."""
        lists, summary = self.lists, self.summary
        found = [
            ("Summary", "Total brought forward", summary.brought_forward),
            ("Summary", "Total new", summary.new),
            ("Summary", "Number upheld", summary.upheld),
            ("Summary", "Number partially upheld", summary.partially_upheld),
            ("Summary", "Number not upheld", summary.not_upheld),
            ("Summary", "Total resolved", summary.resolved),
            ("Summary", "Total carried forward", summary.carried_forward),
        ]
        found += [("Age of patient", b.label, self.ages.get(b.code, 0)) for b in lists.age_bands]
        found += [
            ("Status of complainant", s.label, self.statuses.get(s.code, 0))
            for s in lists.complainant_statuses
        ]
        found += [
            ("Subject area", s.label, self.subjects.get(s.code, 0)) for s in lists.subject_areas
        ]
        found += [
            ("Staff group", g.label, self.staff_groups.get(g.code, 0)) for g in lists.staff_groups
        ]
        return found


def ko41b_return(year: int) -> Ko41bReturn:
    """The return for the year from 1 April `year`, from the practice's formal complaints, with
    the return's checks run and the cases each failing check needs fixed."""
    lists = lists_for(year)
    first, last = date(year, 4, 1), date(year + 1, 3, 31)
    start, end = start_of_local_day(first), start_of_local_day(date(year + 1, 4, 1))
    found = Ko41bReturn(complaints_year(year), lists)
    formal = Case.formal_complaint.is_(True)
    new_cases = list(
        db.session.scalars(
            select(Case)
            .where(formal, Case.received_on >= first, Case.received_on <= last)
            .order_by(Case.received_on, Case.id)
        )
    )
    no_finding = tuple(
        db.session.scalars(
            select(Case.reference)
            .where(
                formal,
                Case.closed_at >= start,
                Case.closed_at < end,
                Case.complaint_finding.is_(None),
            )
            .order_by(Case.id)
        )
    )
    found.ages = dict.fromkeys((b.code for b in lists.age_bands), 0)
    found.statuses = dict.fromkeys((s.code for s in lists.complainant_statuses), 0)
    for case in new_cases:
        found.ages[age_band(case, lists).code] += 1
        found.statuses[complainant_status(case)] += 1
    aspects: dict[int, list[ComplaintAspect]] = {case.id: [] for case in new_cases}
    if new_cases:
        for aspect in db.session.scalars(
            select(ComplaintAspect).where(ComplaintAspect.case_id.in_(list(aspects)))
        ):
            aspects[aspect.case_id].append(aspect)
    found.subjects = dict.fromkeys((s.code for s in lists.subject_areas), 0)
    found.staff_groups = dict.fromkeys((g.code for g in lists.staff_groups), 0)
    for held in aspects.values():
        for aspect in held:
            found.subjects[aspect.subject_area] = found.subjects.get(aspect.subject_area, 0) + 1
            found.staff_groups[aspect.staff_group] = (
                found.staff_groups.get(aspect.staff_group, 0) + 1
            )
    uncoded = tuple(case.reference for case in new_cases if not aspects[case.id])
    found.checks = _checks(found, uncoded, no_finding)
    return found


def _checks(
    found: Ko41bReturn, uncoded: tuple[str, ...], no_finding: tuple[str, ...]
) -> list[Check]:
    summary = found.summary
    subjects, staff = sum(found.subjects.values()), sum(found.staff_groups.values())
    decided = summary.upheld + summary.partially_upheld + summary.not_upheld
    return [
        Check(
            "The ages of the patients add up to the new complaints",
            sum(found.ages.values()) == summary.new,
            f"{sum(found.ages.values())} against {summary.new} new",
        ),
        Check(
            "The complainants' statuses add up to the new complaints",
            sum(found.statuses.values()) == summary.new,
            f"{sum(found.statuses.values())} against {summary.new} new",
        ),
        Check(
            "The subject areas add up to at least the new complaints",
            subjects >= summary.new and not uncoded,
            f"{len(uncoded)} new complaint(s) have no subject area recorded",
            uncoded,
        ),
        Check(
            "The staff groups add up to at least the new complaints",
            staff >= summary.new and not uncoded,
            f"{len(uncoded)} new complaint(s) have no staff group recorded",
            uncoded,
        ),
        Check(
            "Every complaint resolved is upheld, partially upheld or not upheld",
            decided == summary.resolved,
            f"{len(no_finding)} resolved complaint(s) have no finding recorded",
            no_finding,
        ),
        Check(
            "Resolved is at most brought forward plus new (carried forward is not negative)",
            summary.resolved <= summary.brought_forward + summary.new,
            f"{summary.resolved} resolved against {summary.brought_forward + summary.new}",
        ),
    ]
