"""Who may give a case its second opinion, and who gave the first."""

from typing import Any

from sqlalchemy import select

from tracker.cases.codes import Route
from tracker.cases.models import Case
from tracker.extensions import db
from tracker.staff.models import Role, User


def gp_choices() -> list[tuple[str, str]]:
    """Active GPs, for "GP who gave the first opinion"."""
    gps = db.session.scalars(
        select(User).where(User.role == Role.GP, User.active).order_by(User.full_name)
    )
    return [(str(gp.id), gp.full_name) for gp in gps]


def reviewer_problem(case: Case, reviewer: User | None) -> str | None:
    """Why this person cannot review this case, or None when they can."""
    if reviewer is None or reviewer.role not in (Role.GP, Role.PRACTICE_MANAGER):
        return "Choose a GP or the practice manager to review this request"
    if not reviewer.active:
        return f"{reviewer.full_name}'s account is deactivated, so they cannot be given cases"
    if case.original_gp_id is not None and reviewer.id == case.original_gp_id:
        return f"{reviewer.full_name} gave the first opinion. Choose someone else for the second opinion"
    if case.route_requested == Route.SENIOR_PARTNER and not reviewer.is_senior_partner:
        return "The patient asked for the senior partner. Choose the senior partner"
    if case.route_requested == Route.PRACTICE_MANAGER and reviewer.role != Role.PRACTICE_MANAGER:
        return "The patient asked for the practice manager. Choose the practice manager"
    return None


def eligible_reviewers(case: Case) -> list[User]:
    """Staff who may review this case under its rules, for the reviewer list."""
    staff = db.session.scalars(
        select(User)
        .where(User.active, User.role.in_([Role.GP, Role.PRACTICE_MANAGER]))
        .order_by(User.role, User.full_name)
    )
    return [person for person in staff if reviewer_problem(case, person) is None]


def reviewer_choices(case: Case) -> list[tuple[str, str]]:
    """The reviewer list for handing a case on: eligible people other than its reviewer now."""
    people = [p for p in eligible_reviewers(case) if p.id != case.reviewer_id]
    return [("", "Choose a reviewer")] + [
        (str(p.id), f"{p.full_name} ({p.role_label})") for p in people
    ]


def person(user_id: Any) -> User | None:
    """The account a submitted id names, or None for a missing or malformed id."""
    try:
        return db.session.get(User, int(user_id))
    except (TypeError, ValueError, OverflowError):
        return None
