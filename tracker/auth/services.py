"""Sign-in checks, with the account lock kept in the database for every worker."""

from datetime import timedelta
from functools import cache

from flask import current_app
from sqlalchemy import case, literal, update
from werkzeug.security import check_password_hash, generate_password_hash

from tracker import clock
from tracker.extensions import db
from tracker.staff.models import User
from tracker.staff.services import find_by_email
from tracker.types import UTCDateTime


@cache
def _dummy_hash() -> str:
    """A hash to check against when no account matches, so timing does not reveal emails."""
    return generate_password_hash("no account has this password")


def authenticate(email: str, password: str) -> User | None:
    """The active, unlocked account these credentials open, or None; the caller commits."""
    now = clock.now_utc()
    user = find_by_email(email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    if not user.active or user.is_locked(now):
        user.check_password(password)
        return None
    if not user.check_password(password):
        record_failure(user)
        return None
    user.failed_signin_count = 0
    user.locked_until = None
    user.last_signed_in_at = now
    return user


def record_failure(user: User) -> None:
    """Count a failed attempt in one UPDATE, so two workers cannot both miss the fifth."""
    max_failures = current_app.config["SIGNIN_MAX_FAILURES"]
    lock_until = clock.now_utc() + timedelta(minutes=current_app.config["SIGNIN_LOCK_MINUTES"])
    reaches_limit = User.failed_signin_count + 1 >= max_failures
    db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(
            failed_signin_count=case((reaches_limit, 0), else_=User.failed_signin_count + 1),
            locked_until=case(
                (reaches_limit, literal(lock_until, type_=UTCDateTime())),
                else_=User.locked_until,
            ),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.expire(user)
