"""Making practices and the networks they belong to."""

import re
from collections.abc import Callable

from sqlalchemy import select

from tracker.extensions import db
from tracker.practices.models import (
    DEFAULT_PCN_NAME,
    ODS_CODE_PATTERN,
    Icb,
    Pcn,
    Practice,
)
from tracker.practices.scope import in_practice


def practice_ids() -> list[int]:
    """Every practice of the install, oldest first."""
    return list(db.session.scalars(select(Practice.id).order_by(Practice.id)))


def for_each_practice(job: Callable[[], int]) -> int:
    """Run a job once in each practice (its settings, staff and cases); returns the sum of
    what each run returns. The mail worker's reminders and summaries run this way."""
    total = 0
    for practice_id in practice_ids():
        with in_practice(practice_id):
            total += job()
    return total


def first_practice() -> Practice:
    """The install's first practice, made (in a network of its own) when there is none yet: an
    install of one practice never has to make it; the caller commits."""
    found = db.session.scalars(select(Practice).order_by(Practice.id).limit(1)).first()
    if found is not None:
        return found
    network = db.session.scalars(select(Pcn).order_by(Pcn.id).limit(1)).first()
    if network is None:
        network = Pcn(name=DEFAULT_PCN_NAME)
        db.session.add(network)
        db.session.flush()
    found = Practice(pcn_id=network.id)
    db.session.add(found)
    db.session.flush()
    return found


class PracticeError(ValueError):
    """A practice or network that cannot be made as asked; the message says why."""


def normalise_ods(code: str) -> str:
    return (code or "").strip().upper()


def find_practice(ods_code: str) -> Practice | None:
    return db.session.scalars(
        select(Practice).where(Practice.ods_code == normalise_ods(ods_code))
    ).first()


def create_practice(*, ods_code: str, name: str, pcn_name: str | None = None) -> Practice:
    """A new practice in the named network (made if it is new; the install's first network
    when none is named); the caller commits."""
    code = normalise_ods(ods_code)
    if not re.fullmatch(ODS_CODE_PATTERN, code):
        raise PracticeError("Enter an ODS code of 3 to 10 letters and numbers, like A81001")
    if find_practice(code) is not None:
        raise PracticeError(f"A practice with the ODS code {code} is already here")
    if not (name or "").strip():
        raise PracticeError("Enter the practice name")
    network = _network(pcn_name)
    practice = Practice()
    db.session.add(practice)
    practice.ods_code = code
    practice.practice_name = name.strip()
    practice.pcn_id = network.id
    db.session.flush()
    return practice


def place_in_icb(pcn_id: int, icb_name: str) -> Icb:
    """Put the PCN in the named ICB (made if it is new); the caller commits."""
    name = (icb_name or "").strip()
    if not name:
        raise PracticeError("Enter the ICB's name")
    icb = db.session.scalars(select(Icb).where(Icb.name == name)).first()
    if icb is None:
        icb = Icb(name=name)
        db.session.add(icb)
        db.session.flush()
    db.session.get(Pcn, pcn_id).icb_id = icb.id
    db.session.flush()
    return icb


def _network(name: str | None) -> Pcn:
    if name and name.strip():
        found = db.session.scalars(select(Pcn).where(Pcn.name == name.strip())).first()
        if found is None:
            found = Pcn(name=name.strip())
            db.session.add(found)
            db.session.flush()
        return found
    found = db.session.scalars(select(Pcn).order_by(Pcn.id).limit(1)).first()
    if found is None:
        found = Pcn(name=DEFAULT_PCN_NAME)
        db.session.add(found)
        db.session.flush()
    return found
