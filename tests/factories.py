"""Builders for test data, run inside an app context."""

import itertools
from dataclasses import dataclass

from tracker.extensions import db
from tracker.staff import services

DEFAULT_PASSWORD = "correct horse battery"
_sequence = itertools.count(1)


@dataclass(frozen=True)
class MadeUser:
    id: int
    email: str
    full_name: str
    role: str
    password: str


def create_user(
    role="reception", *, password=DEFAULT_PASSWORD, must_change_password=False, **kwargs
) -> MadeUser:
    n = next(_sequence)
    kwargs.setdefault("email", f"{role}.{n}@practice.example")
    kwargs.setdefault("full_name", f"{role.replace('_', ' ').title()} Person {n}")
    user = services.create_user(
        role=role, password=password, must_change_password=must_change_password, **kwargs
    )
    db.session.commit()
    return MadeUser(user.id, user.email, user.full_name, user.role, password)
