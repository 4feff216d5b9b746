"""Linking a person's identity at a sign-in provider to their account, once the sign-in that
links it has passed every check (the tracker's own code too, where that follows)."""

from dataclasses import asdict, dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tracker.audit.kinds import EventKind
from tracker.audit.record import record_event
from tracker.extensions import db
from tracker.security.models import SignInIdentity
from tracker.staff.models import User


@dataclass(frozen=True)
class NewLink:
    """An identity to link at the end of a first sign-in: the provider (its key and name), its
    lasting identifier for the person and the address it vouched for."""

    provider: str
    label: str
    subject: str
    email: str

    def as_dict(self) -> dict:
        return asdict(self)


def link(user: User, new: NewLink) -> bool:
    """Link the identity to this account; False when another sign-in at the same moment linked
    that identity to someone else, or this account to another identity at the provider. The
    caller commits."""
    try:
        with db.session.begin_nested():
            db.session.add(
                SignInIdentity(
                    user_id=user.id,
                    provider=new.provider,
                    subject=new.subject,
                    linked_by_email=new.email,
                )
            )
    except IntegrityError:
        found = db.session.scalar(
            select(SignInIdentity.user_id).where(
                SignInIdentity.provider == new.provider, SignInIdentity.subject == new.subject
            )
        )
        return found == user.id
    record_event(
        EventKind.SIGN_IN_LINKED,
        user,
        changes={"provider": [None, new.provider]},
        detail=f"Sign-in with {new.label} linked to the account (by {new.email})",
    )
    return True
