"""The learning report: what the practice learned from its complaints and second opinions over
a year (from 1 April) or any period, beside the period before of the same length, in a form
comparable year on year (the 12-month complaints summary with the actions taken that the CQC
asks a practice for).

Themes by KO41(b) subject area and staff group, upheld rates, second-opinion outcomes,
improvement actions raised, done and overdue, the lessons in the practice's own words (from
each final response), and significant events. Counts only, but for the lessons and the
significant events' references, which name no patient.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from markupsafe import Markup, escape
from sqlalchemy import and_, case, func, or_, select

from tracker import clock
from tracker.cases.codes import ComplaintFinding, Outcome
from tracker.cases.improvement import ImprovementAction
from tracker.cases.ko41b import lists_for
from tracker.cases.models import Case, ComplaintAspect
from tracker.extensions import db
from tracker.workdays import start_of_local_day


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    @classmethod
    def return_year(cls, year: int) -> "Period":
        return cls(date(year, 4, 1), date(year + 1, 3, 31))

    @property
    def before(self) -> "Period":
        """The period of the same length just before: the year before, for a year."""
        if (self.first.month, self.first.day, self.last.month, self.last.day) == (4, 1, 3, 31):
            return Period.return_year(self.first.year - 1)
        length = self.last - self.first
        last = self.first - timedelta(days=1)
        return Period(last - length, last)

    @property
    def label(self) -> str:
        if (self.first.month, self.first.day, self.last.month, self.last.day) == (4, 1, 3, 31):
            return f"April {self.first.year} to March {self.last.year}"
        return f"{self.first.day} {self.first:%B %Y} to {self.last.day} {self.last:%B %Y}"

    @property
    def short_label(self) -> str:
        if (self.first.month, self.first.day, self.last.month, self.last.day) == (4, 1, 3, 31):
            return f"{self.first.year}-{str(self.last.year)[2:]}"
        return f"{self.first:%d/%m/%Y} to {self.last:%d/%m/%Y}"

    @property
    def moments(self):
        return start_of_local_day(self.first), start_of_local_day(self.last + timedelta(days=1))


@dataclass
class Figures:
    """One period's figures."""

    complaints: int = 0
    resolved: int = 0
    upheld: int = 0
    partially_upheld: int = 0
    not_upheld: int = 0
    subjects: dict[str, int] = field(default_factory=dict)
    staff_groups: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, int] = field(default_factory=dict)
    actions_raised: int = 0
    actions_done: int = 0
    actions_overdue: int = 0
    significant_events: int = 0

    @property
    def upheld_rate(self) -> float | None:
        """Upheld or partly upheld, of those resolved, as a percentage."""
        if not self.resolved:
            return None
        return round(100 * (self.upheld + self.partially_upheld) / self.resolved, 1)


@dataclass(frozen=True)
class Lesson:
    reference: str
    closed_on: date
    lessons: str


@dataclass(frozen=True)
class SignificantEvent:
    reference: str
    received_on: date
    sea_reference: str | None
    candour: str


@dataclass
class LearningReport:
    period: Period
    now: Figures
    before: Figures
    lessons: list[Lesson]
    significant: list[SignificantEvent]

    def rows(self) -> list[tuple[str, str, int | float | None, int | float | None]]:
        """(section, item, this period, the period before), as the page, PDF and Excel show
        them."""
        lists = lists_for(
            self.period.first.year if self.period.first.month >= 4 else self.period.first.year - 1
        )
        now, before = self.now, self.before
        found = [
            ("Complaints", "Formal complaints received", now.complaints, before.complaints),
            ("Complaints", "Resolved", now.resolved, before.resolved),
            ("Complaints", "Upheld", now.upheld, before.upheld),
            ("Complaints", "Partially upheld", now.partially_upheld, before.partially_upheld),
            ("Complaints", "Not upheld", now.not_upheld, before.not_upheld),
            (
                "Complaints",
                "Upheld or partly upheld, % of resolved",
                now.upheld_rate,
                before.upheld_rate,
            ),
        ]
        found += [
            (
                "Themes: subject area",
                item.label,
                now.subjects.get(item.code, 0),
                before.subjects.get(item.code, 0),
            )
            for item in lists.subject_areas
            if now.subjects.get(item.code) or before.subjects.get(item.code)
        ]
        found += [
            (
                "Themes: staff group",
                item.label,
                now.staff_groups.get(item.code, 0),
                before.staff_groups.get(item.code, 0),
            )
            for item in lists.staff_groups
            if now.staff_groups.get(item.code) or before.staff_groups.get(item.code)
        ]
        found += [
            (
                "Second opinions",
                outcome.label,
                now.outcomes.get(outcome.value, 0),
                before.outcomes.get(outcome.value, 0),
            )
            for outcome in Outcome
        ]
        found += [
            ("Improvement actions", "Raised", now.actions_raised, before.actions_raised),
            ("Improvement actions", "Done", now.actions_done, before.actions_done),
            (
                "Improvement actions",
                "Overdue at the period's end (or today)",
                now.actions_overdue,
                before.actions_overdue,
            ),
            (
                "Significant events",
                "Flagged, of requests received",
                now.significant_events,
                before.significant_events,
            ),
        ]
        return found


def _figures(period: Period) -> Figures:
    start, end = period.moments
    found = Figures()
    formal = Case.formal_complaint.is_(True)
    received = and_(Case.received_on >= period.first, Case.received_on <= period.last)
    closed = and_(Case.closed_at >= start, Case.closed_at < end)

    def count_if(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    row = db.session.execute(
        select(
            count_if(and_(formal, received)),
            count_if(and_(formal, closed)),
            count_if(and_(formal, closed, Case.complaint_finding == ComplaintFinding.UPHELD)),
            count_if(
                and_(formal, closed, Case.complaint_finding == ComplaintFinding.PARTIALLY_UPHELD)
            ),
            count_if(and_(formal, closed, Case.complaint_finding == ComplaintFinding.NOT_UPHELD)),
            count_if(and_(received, Case.significant_event.is_(True))),
        )
        .select_from(Case)
        .where(or_(received, closed))
    ).one()
    (
        found.complaints,
        found.resolved,
        found.upheld,
        found.partially_upheld,
        found.not_upheld,
        found.significant_events,
    ) = (int(n) for n in row)
    aspects = db.session.execute(
        select(ComplaintAspect.subject_area, ComplaintAspect.staff_group, func.count())
        .join(Case, Case.id == ComplaintAspect.case_id)
        .where(formal, received)
        .group_by(ComplaintAspect.subject_area, ComplaintAspect.staff_group)
    ).all()
    for subject, staff, n in aspects:
        found.subjects[subject] = found.subjects.get(subject, 0) + n
        found.staff_groups[staff] = found.staff_groups.get(staff, 0) + n
    found.outcomes = dict(
        db.session.execute(
            select(Case.outcome, func.count())
            .where(Case.outcome_recorded_at >= start, Case.outcome_recorded_at < end)
            .group_by(Case.outcome)
        ).all()
    )
    action = ImprovementAction
    # Overdue at the period's end, or today for a period not yet over.
    as_of = min(period.last, clock.today_london())
    as_of_end = start_of_local_day(as_of + timedelta(days=1))
    row = db.session.execute(
        select(
            count_if(and_(action.created_at >= start, action.created_at < end)),
            count_if(and_(action.done_at >= start, action.done_at < end)),
            count_if(
                and_(
                    action.created_at < as_of_end,
                    action.due_on < as_of,
                    or_(action.done_at.is_(None), action.done_at >= as_of_end),
                )
            ),
        ).select_from(action)
    ).one()
    found.actions_raised, found.actions_done, found.actions_overdue = (int(n) for n in row)
    return found


def learning_report(period: Period) -> LearningReport:
    start, end = period.moments
    lessons = [
        Lesson(reference, closed_at.date(), text)
        for reference, closed_at, text in db.session.execute(
            select(Case.reference, Case.closed_at, Case.response_lessons)
            .where(
                Case.formal_complaint.is_(True),
                Case.closed_at >= start,
                Case.closed_at < end,
                Case.response_lessons.is_not(None),
            )
            .order_by(Case.closed_at, Case.id)
        )
    ]
    significant = [
        SignificantEvent(
            reference,
            received_on,
            sea,
            "not decided"
            if applies is None
            else (
                "applies" + (", patient told" if told else ", patient not yet told")
                if applies
                else "does not apply"
            ),
        )
        for reference, received_on, sea, applies, told in db.session.execute(
            select(
                Case.reference,
                Case.received_on,
                Case.sea_reference,
                Case.candour_applies,
                Case.candour_told_on,
            )
            .where(
                Case.significant_event.is_(True),
                Case.received_on >= period.first,
                Case.received_on <= period.last,
            )
            .order_by(Case.received_on, Case.id)
        )
    ]
    return LearningReport(period, _figures(period), _figures(period.before), lessons, significant)


# --- the chart ---------------------------------------------------------------------------

BAR_NOW, BAR_BEFORE = "#005eb8", "#768692"


def themes_svg(report: LearningReport) -> Markup:
    """Horizontal bars of the subject areas, this period and the one before, labelled, with a
    title and description for screen readers (the table beside it carries the numbers)."""
    rows = [
        (item, now, before)
        for section, item, now, before in report.rows()
        if section == "Themes: subject area"
    ]
    width, label_h, bar_h, gap, font = 360, 16, 10, 12, 12
    height = 40 + len(rows) * (label_h + 2 * bar_h + gap) + 10
    peak = max([1] + [max(n or 0, b or 0) for _, n, b in rows])
    plot_w = width - 60
    parts = [
        f'<svg class="app-chart app-chart--themes" viewBox="0 0 {width} {height}" role="img" '
        'aria-labelledby="themes-title themes-desc" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="Frutiger W01, Arial, sans-serif" font-size="{font}">',
        f'<title id="themes-title">Complaints by subject area, {escape(report.period.short_label)} and the period before</title>',
        '<desc id="themes-desc">'
        + str(
            escape(
                "; ".join(
                    f"{item}: {now} this period, {before} before" for item, now, before in rows
                )
                or "No complaints were coded in either period."
            )
        )
        + "</desc>",
        f'<rect x="0" y="4" width="{font}" height="{font}" fill="{BAR_NOW}"/>',
        f'<text x="{font + 6}" y="{4 + font - 2}" fill="#212b32">{escape(report.period.short_label)}</text>',
        f'<rect x="150" y="4" width="{font}" height="{font}" fill="{BAR_BEFORE}"/>',
        f'<text x="{150 + font + 6}" y="{4 + font - 2}" fill="#212b32">{escape(report.period.before.short_label)}</text>',
    ]
    y = 40
    for item, now, before in rows:
        parts.append(f'<text x="0" y="{y + label_h - 4}" fill="#212b32">{escape(item[:52])}</text>')
        y += label_h
        for value, colour in ((now or 0, BAR_NOW), (before or 0, BAR_BEFORE)):
            w = plot_w * value / peak
            parts.append(f'<rect x="0" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour}"/>')
            parts.append(
                f'<text x="{w + 4:.1f}" y="{y + bar_h - 1}" font-size="{font - 1}" fill="#212b32">{value}</text>'
            )
            y += bar_h
        y += gap
    parts.append("</svg>")
    # Every value above is a number or passed through escape(), so the joined markup is safe.
    return Markup("".join(parts))  # noqa: S704
