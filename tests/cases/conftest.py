"""Fixtures for case tests: staff of every kind and a way to log a case as reception would."""

from dataclasses import dataclass

import pytest

from tests import factories
from tests.helpers import sign_in
from tracker.cases.models import Case
from tracker.extensions import db


@dataclass
class Staff:
    reception: factories.MadeUser
    gp: factories.MadeUser
    other_gp: factories.MadeUser
    senior: factories.MadeUser
    manager: factories.MadeUser


@pytest.fixture
def staff(make_user):
    return Staff(
        reception=make_user("reception", full_name="Rita Reception"),
        gp=make_user("gp", full_name="Dr Gina First"),
        other_gp=make_user("gp", full_name="Dr Omar Second"),
        senior=make_user("gp", full_name="Dr Sena Senior", is_senior_partner=True),
        manager=make_user("practice_manager", full_name="Mo Manager"),
    )


@pytest.fixture
def as_user(app):
    """A signed-in test client for this person (one client each, as on separate PCs)."""
    clients = {}

    def client_for(user):
        if user.id not in clients:
            client = app.test_client()
            response = sign_in(client, user.email, user.password)
            assert response.status_code == 302
            clients[user.id] = client
        return clients[user.id]

    return client_for


@pytest.fixture
def log_case(as_user, staff, app):
    """Log a request through the intake form as reception; returns its reference."""

    def log(by=None, **overrides):
        overrides.setdefault("original_gp", str(staff.gp.id))
        response = as_user(by or staff.reception).post(
            "/cases/new", data=factories.intake_form(**overrides)
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        return response.headers["Location"].rsplit("/", 1)[1]

    return log


@pytest.fixture
def load_case(app):
    """The case as the database holds it now, with its events and notes loaded."""

    def load(reference):
        with app.app_context():
            case = db.session.query(Case).filter_by(reference=reference).one()
            db.session.expunge(case)
            return case

    return load


def version_on(html: str) -> str:
    return html.split('name="version" type="hidden" value="')[1].split('"')[0]


@pytest.fixture
def act(as_user):
    """Open an action's form as this person, then submit it with the version it showed."""

    def perform(user, reference, action, data=None, follow=False):
        client = as_user(user)
        page = client.get(f"/cases/{reference}/{action}")
        assert page.status_code == 200, page.get_data(as_text=True)
        form = {"version": version_on(page.get_data(as_text=True)), **(data or {})}
        return client.post(f"/cases/{reference}/{action}", data=form, follow_redirects=follow)

    return perform


@pytest.fixture
def events_of(app):
    """(kind, actor name, from stage, to stage) for each event of a case, oldest first."""

    def events(reference):
        from tracker.audit.models import Event

        with app.app_context():
            case = db.session.query(Case).filter_by(reference=reference).one()
            rows = db.session.query(Event).filter_by(case_id=case.id).order_by(Event.id).all()
            return [(e.kind, e.actor.full_name, e.from_stage, e.to_stage, e.changes) for e in rows]

    return events
