"""Making practices and the networks they belong to."""

from sqlalchemy import select

from tracker.extensions import db
from tracker.practices.models import DEFAULT_PCN_NAME, Pcn, Practice


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
