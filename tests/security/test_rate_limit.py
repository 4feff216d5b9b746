"""Failed sign-ins per address are limited in storage every worker shares."""

import uuid

import pytest
from sqlalchemy import func, select

from tests.helpers import sign_in, text_of
from tracker import create_app
from tracker.audit.models import Event
from tracker.config import TestConfig
from tracker.extensions import db
from tracker.security.models import SignInFailure

TOO_MANY = "too many failed sign-ins from this computer"


def client_at(app, address):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_an_address_that_fails_too_often_must_wait(app, make_user, frozen_clock):
    user = make_user("gp")
    guesser = client_at(app, "203.0.113.7")
    for n in range(20):
        response = sign_in(guesser, f"guess{n}@practice.example", "wrong password!!")
        assert TOO_MANY not in text_of(response)
    # Even the right password is refused from that address for now...
    blocked = sign_in(guesser, user.email, user.password)
    assert blocked.status_code == 200 and TOO_MANY in text_of(blocked)
    # ...while a colleague at another address signs in as usual.
    assert sign_in(client_at(app, "203.0.113.8"), user.email, user.password).status_code == 302
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(SignInFailure)
                .where(SignInFailure.address == "203.0.113.7")
            )
            == 20
        )
        refused = db.session.scalars(
            select(Event.detail).where(Event.kind == "sign_in_failed").order_by(Event.id.desc())
        ).first()
        assert refused == "Sign-in failed: too many failures from this address"
    frozen_clock.advance(minutes=16)
    assert sign_in(guesser, user.email, user.password).status_code == 302


def test_failures_are_events_with_the_address_and_the_lock_is_an_event(
    app, make_user, frozen_clock
):
    user = make_user("reception")
    client = client_at(app, "198.51.100.4")
    for _ in range(5):
        sign_in(client, user.email, "not the password")
    sign_in(client, "nobody@practice.example", "whatever")
    with app.app_context():
        events = db.session.scalars(select(Event).order_by(Event.id)).all()
        failed = [e for e in events if e.kind == "sign_in_failed"]
        assert len(failed) == 6
        assert failed[0].actor_id == user.id and failed[0].changes["address"] == [
            None,
            "198.51.100.4",
        ]
        assert failed[-1].actor_id is None
        assert failed[-1].changes["email"] == [None, "nobody@practice.example"]
        assert [e.kind for e in events].count("account_locked") == 1


def redis_url():
    try:
        import redis

        redis.Redis.from_url("redis://127.0.0.1:6379/15", socket_connect_timeout=0.5).ping()
    except Exception:  # noqa: BLE001 - no Redis here: the Redis path cannot be tested
        return None
    return "redis://127.0.0.1:6379/15"


@pytest.mark.skipif(redis_url() is None, reason="no Redis server on 127.0.0.1:6379")
def test_with_redis_configured_two_workers_share_one_count(
    app, database_url, make_user, frozen_clock
):
    """Two app instances stand for two gunicorn workers: failures through one count in the other."""
    workers = []
    for _ in range(2):
        config = TestConfig(database_url)
        config.RATELIMIT_STORAGE = redis_url()
        workers.append(create_app(config))
    address = f"192.0.2.{uuid.uuid4().int % 250 + 1}"  # a fresh window key each run, below
    import redis

    server = redis.Redis.from_url(redis_url())
    stale = server.keys(f"tracker:sign-in-failures:{address}:*")
    if stale:  # left by an earlier run on the same frozen clock
        server.delete(*stale)
    user = make_user("gp")
    for n in range(20):
        worker = workers[n % 2]
        sign_in(client_at(worker, address), "nobody@practice.example", "wrong password!!")
    for worker in workers:
        assert TOO_MANY in text_of(sign_in(client_at(worker, address), user.email, user.password))
    with app.app_context():  # counted in Redis, not in the database table
        assert db.session.scalar(select(func.count()).select_from(SignInFailure)) == 0
    frozen_clock.advance(minutes=31)
    assert sign_in(client_at(workers[0], address), user.email, user.password).status_code == 302
