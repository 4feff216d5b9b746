"""Who may give a case its second opinion, and who gave the first."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import case as sql_case
from sqlalchemy import func, select

from tracker import clock
from tracker.cases import clocks
from tracker.cases.codes import ROUTES_WITH_A_REVIEWER, Route
from tracker.cases.models import OPEN_CASE_IN_SQL, Case
from tracker.extensions import db
from tracker.staff.leave import away_on
from tracker.staff.models import Membership, Role, User, works_as
from tracker.types import codes_in_sql


def gp_choices() -> list[tuple[str, str]]:
    """Active GPs, for "GP who gave the first opinion"."""
    gps = db.session.scalars(
        select(User).where(works_as(Role.GP), User.active).order_by(User.full_name)
    )
    return [(str(gp.id), gp.full_name) for gp in gps]


def reviewer_problem(case: Case, reviewer: User | None, *, follow_route: bool = True) -> str | None:
    """Why this person cannot review this case, or None when they can.

    The patient's request (the senior partner, the practice manager) binds unless the practice
    manager has recorded why it cannot be followed (`case.route_waived`), or `follow_route` is
    False because they are doing so now."""
    if reviewer is None or reviewer.role not in (Role.GP, Role.PRACTICE_MANAGER):
        return "Choose a GP or the practice manager to review this request"
    if not reviewer.active:
        return f"{reviewer.full_name}'s account is deactivated, so they cannot be given cases"
    if case.original_gp_id is not None and reviewer.id == case.original_gp_id:
        return f"{reviewer.full_name} gave the first opinion. Choose someone else for the second opinion"
    if not follow_route or case.route_waived:
        return None
    if case.route_requested == Route.SENIOR_PARTNER and not reviewer.is_senior_partner:
        return "The patient asked for the senior partner. Choose the senior partner"
    if case.route_requested == Route.PRACTICE_MANAGER and reviewer.role != Role.PRACTICE_MANAGER:
        return "The patient asked for the practice manager. Choose the practice manager"
    return None


def active_reviewers() -> list[User]:
    """Everyone who may be given cases: active GPs and practice managers."""
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(User.active, Membership.role.in_(codes_in_sql([Role.GP, Role.PRACTICE_MANAGER])))
            .order_by(Membership.role, User.full_name)
        )
    )


def eligible_reviewers(case: Case, *, follow_route: bool = True) -> list[User]:
    """Staff who may review this case under its rules, for the reviewer list."""
    return [
        person
        for person in active_reviewers()
        if reviewer_problem(case, person, follow_route=follow_route) is None
    ]


def reviewer_load(today: date) -> dict[int, tuple[int, int]]:
    """Each reviewer's open cases and how many of those are overdue, in one statement."""
    overdue = func.coalesce(func.sum(sql_case((clocks.overdue_condition(today), 1), else_=0)), 0)
    rows = db.session.execute(
        select(Case.reviewer_id, func.count(), overdue)
        .where(OPEN_CASE_IN_SQL, Case.reviewer_id.is_not(None))
        .group_by(Case.reviewer_id)
    )
    return {reviewer_id: (count, late) for reviewer_id, count, late in rows}


@dataclass(frozen=True)
class Facts:
    """What the reviewer list says beside each name: open and overdue cases, and who is away
    (with their last day away)."""

    load: dict[int, tuple[int, int]]
    away: dict[int, date]

    @classmethod
    def today(cls) -> "Facts":
        today = clock.today_london()
        return cls(reviewer_load(today), away_on(today))

    def about(self, person: User) -> str:
        count, late = self.load.get(person.id, (0, 0))
        said = f"{count} open" + (f", {late} overdue" if late else "")
        if person.id in self.away:
            said += f"; away until {clock.format_date(self.away[person.id])}"
        return said


def reviewer_choices(
    case: Case,
    *,
    follow_route: bool = True,
    offer_reviewer: bool = False,
    facts: Facts | None = None,
    hide_away: bool = False,
) -> list[tuple[str, str]]:
    """The reviewer list: eligible people other than the case's reviewer now, or with
    `offer_reviewer` (a reopened case) its last reviewer too, marked as such; with `facts`,
    each person's open and overdue cases and whether they are away (and with `hide_away`,
    those away left out)."""
    people = [
        p
        for p in eligible_reviewers(case, follow_route=follow_route)
        if (offer_reviewer or p.id != case.reviewer_id)
        and not (hide_away and facts is not None and p.id in facts.away)
    ]
    return [("", "Choose a reviewer")] + [
        (
            str(p.id),
            f"{p.full_name} ({p.role_label})"
            + (", reviewed it before" if p.id == case.reviewer_id else "")
            + (f": {facts.about(p)}" if facts is not None else ""),
        )
        for p in people
    ]


def why_no_reviewer(
    case: Case, *, offer_reviewer: bool = False, viewer: User | None = None
) -> str | None:
    """When no one but the reviewer it has (or with `offer_reviewer`, no one at all) may take
    the case as the patient asked, why, in words for staff (to `viewer`, "you" where it is
    them); None when someone may."""
    if case.route_requested not in ROUTES_WITH_A_REVIEWER:
        return None
    people = active_reviewers()
    if any(
        (offer_reviewer or p.id != case.reviewer_id) and reviewer_problem(case, p) is None
        for p in people
    ):
        return None
    if case.route_requested == Route.SENIOR_PARTNER and not case.route_waived:
        seniors = [p for p in people if p.is_senior_partner]
        if not seniors:
            return "The patient asked for the senior partner, and no active GP is marked as the senior partner."
        names = " and ".join(p.full_name for p in seniors)
        if all(p.id == case.original_gp_id for p in seniors):
            return f"The patient asked for the senior partner, and {names}, the senior partner, gave the first opinion."
        if viewer is not None and [p.id for p in seniors] == [viewer.id]:
            return "The patient asked for the senior partner, and you are the senior partner and already have this case."
        return f"The patient asked for the senior partner, and {names} already has this case."
    if case.route_requested == Route.PRACTICE_MANAGER and not case.route_waived:
        managers = [p for p in people if p.role == Role.PRACTICE_MANAGER]
        if not managers:
            return "The patient asked for the practice manager, and no practice manager's account is active."
        names = " and ".join(p.full_name for p in managers)
        if viewer is not None and [p.id for p in managers] == [viewer.id]:
            return "The patient asked for the practice manager, and you already have this case."
        return f"The patient asked for the practice manager, and {names} already has this case."
    return "No GP or practice manager is active who did not give the first opinion and does not already have this case."


def person(user_id: Any, *, lock: bool = False) -> User | None:
    """The account a submitted id names, or None for a missing or malformed id. With `lock`,
    its row is read afresh and held (FOR SHARE) until the transaction ends."""
    try:
        key = int(user_id)
    except (TypeError, ValueError, OverflowError):
        return None
    if not lock:
        return db.session.get(User, key)
    return db.session.get(
        User, key, with_for_update={"read": True, "of": User}, populate_existing=True
    )
