"""Staff leave: who is away on a day, and until when."""

from datetime import date

from sqlalchemy import func, select

from tracker.extensions import db
from tracker.staff.models import StaffLeave, User


def away_on(day: date) -> dict[int, date]:
    """Everyone away on this day, with the last day of their leave."""
    rows = db.session.execute(
        select(StaffLeave.user_id, func.max(StaffLeave.ends_on))
        .where(StaffLeave.starts_on <= day, StaffLeave.ends_on >= day)
        .group_by(StaffLeave.user_id)
    )
    return dict(rows.all())


def leave_of(user: User, today: date) -> list[StaffLeave]:
    """Their leave now and to come, soonest first."""
    return list(
        db.session.scalars(
            select(StaffLeave)
            .where(StaffLeave.user_id == user.id, StaffLeave.ends_on >= today)
            .order_by(StaffLeave.starts_on, StaffLeave.id)
        )
    )


def add_leave(user: User, starts_on: date, ends_on: date, by: User) -> StaffLeave:
    """Record a spell of leave; the caller commits."""
    leave = StaffLeave(user_id=user.id, starts_on=starts_on, ends_on=ends_on, recorded_by_id=by.id)
    db.session.add(leave)
    return leave
