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
from tracker.practices.models import DEFAULT_PCN_NAME, Pcn, Practice
from tracker.practices.scope import across_practices, chosen_practice_id, made_once
from tracker.settings.models import load_settings
from tracker.staff.leave import away_on
from tracker.staff.models import Membership, Role, User, works_as
from tracker.types import codes_in_sql

# Names only, made once (see `made_once`): the intake form asks on every request.
ACTIVE_GPS = made_once(
    select(User.id, User.full_name).where(works_as(Role.GP), User.active).order_by(User.full_name)
)


def gp_choices() -> list[tuple[str, str]]:
    """Active GPs, for "GP who gave the first opinion"."""
    return [(str(gp_id), name) for gp_id, name in db.session.execute(ACTIVE_GPS)]


# Requests naming someone of the practice (its senior partner, its manager): not for an outside GP.
NAMING_SOMEONE_HERE = frozenset({Route.SENIOR_PARTNER, Route.PRACTICE_MANAGER})


@dataclass(frozen=True)
class OutsideGp:
    """A GP of another practice in this practice's PCN, as the reviewer list offers them."""

    id: int
    full_name: str
    practice_id: int
    practice_name: str


def outside_gps() -> list[OutsideGp]:
    """The active GPs of the other practices in this practice's PCN, when this practice lets
    them review its cases (its setting) and its PCN is a named one; none otherwise. Names and
    practices only are read."""
    here = load_settings()
    if not here.outside_reviewers_allowed or here.pcn_id is None:
        return []
    network = db.session.get(Pcn, here.pcn_id)
    if network is None or network.name == DEFAULT_PCN_NAME:
        # The network every practice made without one falls into is no PCN of theirs: the
        # install administrator names the practice's PCN first (create-practice --pcn).
        return []
    staff_here = select(Membership.user_id).where(
        Membership.practice_id == chosen_practice_id(),
        Membership.role.in_(codes_in_sql([Role.RECEPTION, Role.GP, Role.PRACTICE_MANAGER])),
    )
    with across_practices("GPs of the other practices in the PCN, offered as reviewers"):
        rows = db.session.execute(
            select(User.id, User.full_name, Practice.id, Practice.practice_name)
            .join(Membership, Membership.user_id == User.id)
            .join(Practice, Practice.id == Membership.practice_id)
            .where(
                Practice.pcn_id == here.pcn_id,
                Practice.id != here.id,
                Membership.role == Role.GP.value,
                User.active,
                User.id.not_in(staff_here),
            )
            .order_by(User.full_name, Practice.practice_name)
        ).all()
    found: dict[int, OutsideGp] = {}
    for row in rows:  # someone who is a GP at two of the others: their first by name
        found.setdefault(row[0], OutsideGp(*row))
    return list(found.values())


def outside_gp(user_id: int) -> OutsideGp | None:
    """This person as an outside reviewer this practice may choose, or None."""
    return next((gp for gp in outside_gps() if gp.id == user_id), None)


def admit_outside_reviewer(reviewer: User) -> None:
    """Give a GP of another practice in the PCN, chosen to review a case here, the visiting
    role that lets them reach the cases given to them and nothing else of this practice (once;
    the caller has checked they may be chosen, and commits)."""
    if reviewer.membership is not None:
        return
    gp = outside_gp(reviewer.id)
    if gp is None:
        raise ValueError(f"{reviewer.full_name} cannot review this practice's cases")
    membership = Membership(
        user_id=reviewer.id, role=Role.VISITING_GP.value, visiting_from_id=gp.practice_id
    )
    db.session.add(membership)
    db.session.flush()
    db.session.refresh(reviewer, ["membership"])


def reviewer_problem(
    case: Case, reviewer: User | None, *, follow_route: bool = True, outside: bool = True
) -> str | None:
    """Why this person cannot review this case, or None when they can.

    The patient's request (the senior partner, the practice manager) binds unless the practice
    manager has recorded why it cannot be followed (`case.route_waived`), or `follow_route` is
    False because they are doing so now. With `outside` False, only the practice's own staff
    may (handing on a leaver's cases)."""
    if outside and reviewer is not None and reviewer.role in (None, Role.VISITING_GP):
        if outside_gp(reviewer.id) is None:  # not (or no longer) a GP this practice may ask
            return "Choose a GP or the practice manager to review this request"
    elif reviewer is None or reviewer.role not in (Role.GP, Role.PRACTICE_MANAGER):
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
    outside: bool = True,
) -> list[tuple[str, str]]:
    """The reviewer list: eligible people other than the case's reviewer now, or with
    `offer_reviewer` (a reopened case) its last reviewer too, marked as such; with `facts`,
    each person's open and overdue cases and whether they are away (and with `hide_away`,
    those away left out); then, unless `outside` is False, the GPs of the PCN's other practices
    this practice allows."""
    people = [
        p
        for p in eligible_reviewers(case, follow_route=follow_route)
        if (offer_reviewer or p.id != case.reviewer_id)
        and not (hide_away and facts is not None and p.id in facts.away)
    ]
    others = [
        gp
        for gp in (outside_gps() if outside else [])
        if (offer_reviewer or gp.id != case.reviewer_id)
        and gp.id != case.original_gp_id
        and (case.route_waived or case.route_requested not in NAMING_SOMEONE_HERE)
    ]
    return (
        [("", "Choose a reviewer")]
        + [
            (
                str(p.id),
                f"{p.full_name} ({p.role_label})"
                + (", reviewed it before" if p.id == case.reviewer_id else "")
                + (f": {facts.about(p)}" if facts is not None else ""),
            )
            for p in people
        ]
        + [
            (
                str(gp.id),
                f"{gp.full_name} (GP at {gp.practice_name})"
                + (", reviewed it before" if gp.id == case.reviewer_id else ""),
            )
            for gp in others
        ]
    )


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
