"""Creating and changing staff accounts; the routes and the CLI both call these."""

import secrets
import string

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import lazyload
from sqlalchemy.orm.attributes import set_committed_value

from tracker import clock
from tracker.extensions import db
from tracker.practices.models import NetworkRole, Practice
from tracker.practices.scope import across_practices, chosen_practice_id
from tracker.practices.services import first_practice
from tracker.staff.models import Membership, Role, User
from tracker.staff.passwords import weakness
from tracker.staff.sessions import EndReason, UserSession, end_sessions

TEMPORARY_PASSWORD_ALPHABET = "".join(
    c for c in string.ascii_letters + string.digits if c not in "0O1lI"
)


class StaffError(ValueError):
    """A change to an account that cannot be made, with a message for the person."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def password_problem(password: str, about: tuple[str, ...] = ()) -> str | None:
    """Why a new password is not acceptable, or None when it is; `about` holds words a guesser
    would try first (the person's name and email address)."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        return f"Password must be {minimum} characters or more"
    if len(password) > 128:
        return "Password must be 128 characters or fewer"
    if password.strip() == "":
        return "Password must not be only spaces"
    return weakness(password, about)


def temporary_password() -> str:
    """A random password for a new or reset account, changed at first sign-in."""
    groups = [
        "".join(secrets.choice(TEMPORARY_PASSWORD_ALPHABET) for _ in range(4)) for _ in range(4)
    ]
    return "-".join(groups)


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def email_taken(email: str, except_id: int | None = None) -> bool:
    query = select(func.count()).select_from(User).where(User.email == normalise_email(email))
    if except_id is not None:
        query = query.where(User.id != except_id)
    return db.session.scalar(query) > 0


def create_user(
    *,
    email: str,
    full_name: str,
    role: Role | str,
    password: str,
    is_senior_partner: bool = False,
    must_change_password: bool = True,
    is_demo: bool = False,
    job_title: str | None = None,
) -> User:
    """Add an account; the caller commits."""
    role = Role(role)
    if email_taken(email):
        raise StaffError("An account with this email address already exists")
    if is_senior_partner and role != Role.GP:
        raise StaffError("Only a GP can be the senior partner")
    problem = password_problem(password, (email, full_name))
    if problem:
        raise StaffError(problem)
    user = User(
        email=normalise_email(email),
        full_name=full_name.strip(),
        job_title=(job_title or "").strip() or None,
        must_change_password=must_change_password,
        is_demo=is_demo,
    )
    user.set_password(password)
    # In the practice being worked in; the first account of a new install makes its practice.
    practice_id = chosen_practice_id() or first_practice().id
    db.session.add(user)
    db.session.flush()
    membership = Membership(
        user_id=user.id,
        practice_id=practice_id,
        role=role.value,
        is_senior_partner=is_senior_partner,
    )
    db.session.add(membership)
    db.session.flush()
    set_committed_value(user, "membership", membership)
    return user


def add_network_role(
    *,
    email: str,
    full_name: str,
    password: str | None,
    pcn_id: int | None = None,
    icb_id: int | None = None,
    must_change_password: bool = True,
    is_demo: bool = False,
) -> User:
    """Let someone see a PCN's (or an ICB's) practices in figures without identifiers: their
    account, made now with no role in any practice when they have none (`password` needed
    then), gains the PCN or ICB. The caller commits."""
    if (pcn_id is None) == (icb_id is None):
        raise StaffError("Name one PCN or one ICB")
    user = db.session.scalars(
        select(User).where(User.email == normalise_email(email)).options(lazyload(User.membership))
    ).first()
    if user is None:
        problem = password_problem(password or "", (email, full_name))
        if problem:
            raise StaffError(problem)
        user = User(
            email=normalise_email(email),
            full_name=full_name.strip(),
            must_change_password=must_change_password,
            is_demo=is_demo,
        )
        user.set_password(password)
        db.session.add(user)
        db.session.flush()
    held = db.session.scalars(
        select(NetworkRole).where(
            NetworkRole.user_id == user.id,
            NetworkRole.pcn_id.is_(pcn_id) if pcn_id is None else NetworkRole.pcn_id == pcn_id,
            NetworkRole.icb_id.is_(icb_id) if icb_id is None else NetworkRole.icb_id == icb_id,
        )
    ).first()
    if held is not None:
        raise StaffError(f"{user.full_name} already sees these figures")
    db.session.add(NetworkRole(user_id=user.id, pcn_id=pcn_id, icb_id=icb_id))
    db.session.flush()
    return user


def add_membership(
    user: User, *, practice_id: int, role: Role | str, is_senior_partner: bool = False
) -> Membership:
    """Give someone who already has an account a role in another practice; the caller
    commits."""
    role = Role(role)
    if is_senior_partner and role != Role.GP:
        raise StaffError("Only a GP can be the senior partner")
    with across_practices("the practices a person works in"):
        there = db.session.scalars(
            select(Membership).where(
                Membership.user_id == user.id, Membership.practice_id == practice_id
            )
        ).first()
    if there is not None:
        raise StaffError(f"{user.full_name} already works in this practice")
    membership = Membership(
        user_id=user.id,
        practice_id=practice_id,
        role=role.value,
        is_senior_partner=is_senior_partner,
    )
    with across_practices("adding someone to another practice"):
        db.session.add(membership)
        db.session.flush()
    return membership


def colleague(user_id: int) -> User | None:
    """The account of someone who works in the practice being worked in; None for anyone else
    (an account of another practice only is, here, no one)."""
    user = db.session.get(User, user_id)
    if user is None or user.membership is None or user.membership.visiting_from_id is not None:
        return None  # not theirs to manage: a GP of another practice visiting as a reviewer
    return user


def practices_of(user_id: int) -> list[tuple[Practice, Membership]]:
    """Each practice this person works in, with their role there, by name."""
    with across_practices("the practices a person works in"):
        return [
            (practice, membership)
            for practice, membership in db.session.execute(
                select(Practice, Membership)
                .join(Membership, Membership.practice_id == Practice.id)
                .where(Membership.user_id == user_id)
                .order_by(Practice.practice_name, Practice.id)
            )
        ]


def update_user(
    user: User,
    *,
    email: str,
    full_name: str,
    role: Role | str,
    is_senior_partner: bool,
    job_title: str | None = None,
) -> None:
    """Change an account's details; the caller commits."""
    role = Role(role)
    if email_taken(email, except_id=user.id):
        raise StaffError("An account with this email address already exists")
    if is_senior_partner and role != Role.GP:
        raise StaffError("Only a GP can be the senior partner")
    user.email = normalise_email(email)
    user.full_name = full_name.strip()
    membership = user.membership
    if membership is None:
        raise StaffError("This person does not work in this practice")
    membership.role = role.value
    membership.is_senior_partner = is_senior_partner
    user.job_title = (job_title or "").strip() or None


def deactivate_user(user: User, *, by: User) -> None:
    """Stop an account signing in; its history stays."""
    if user.id == by.id:
        raise StaffError("You cannot deactivate your own account")
    user.active = False
    user.deactivated_at = clock.now_utc()
    end_sessions(user, EndReason.DEACTIVATED, by=by)


def works_elsewhere(user: User) -> bool:
    """Whether this person works in another practice of the install too (one they visit as a
    reviewer from another practice does not count)."""
    return sum(1 for _, m in practices_of(user.id) if m.visiting_from_id is None) > 1


def leave_practice(user: User, *, by: User) -> None:
    """Someone who works in other practices too stops working in this one: their role here
    ends and their sessions working here end; their account signs in to the others as before,
    and everything they did here stays in its history. The caller commits."""
    if user.id == by.id:
        raise StaffError("You cannot remove yourself from the practice")
    membership = user.membership
    if membership is None:
        raise StaffError(f"{user.full_name} does not work in this practice")
    practice_id = membership.practice_id
    db.session.delete(membership)
    set_committed_value(user, "membership", None)
    end_sessions(user, EndReason.NO_LONGER_THERE, by=by, working_in=practice_id)


def reactivate_user(user: User) -> None:
    user.active = True
    user.deactivated_at = None


def reset_password(user: User) -> str:
    """Give the account a temporary password to change at next sign-in, and unlock it."""
    password = temporary_password()
    user.set_password(password)
    user.must_change_password = True
    user.failed_signin_count = 0
    user.locked_until = None
    end_sessions(user, EndReason.PASSWORD_RESET)
    return password


def change_own_password(user: User, new_password: str, *, keep: UserSession | None) -> None:
    """Set a new password and end every other session of this person (but `keep`)."""
    problem = password_problem(new_password, (user.email, user.full_name))
    if problem:
        raise StaffError(problem)
    if user.check_password(new_password):
        raise StaffError("Choose a password different from your current one")
    user.set_password(new_password)
    user.must_change_password = False
    end_sessions(user, EndReason.PASSWORD_CHANGED, keep=keep)
