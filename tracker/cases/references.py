"""Case references, SO-YYYY-NNNN: gap-free numbers for each year, in each practice."""

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from tracker.cases.models import CaseSequence
from tracker.extensions import db


def next_reference(year: int) -> tuple[int, str]:
    """Take the practice's next number for this year: one row per practice and year (the
    practice being worked in), incremented under its row lock."""
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.session.execute(
        insert(CaseSequence)
        .values(year=year, last_value=0)
        .on_conflict_do_nothing(index_elements=["practice_id", "year"])
    )
    db.session.execute(
        update(CaseSequence)
        .where(CaseSequence.year == year)
        .values(last_value=CaseSequence.last_value + 1)
    )
    value = db.session.scalar(select(CaseSequence.last_value).where(CaseSequence.year == year))
    return value, f"SO-{year}-{value:04d}"
