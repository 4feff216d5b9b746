"""Failed sign-ins counted per address in storage every worker shares.

The database is the default; a redis:// URL in RATELIMIT_STORAGE (or REDIS_URL) uses Redis.
Only failures count, so a practice whose staff share one address can all sign in each morning.
"""

from datetime import timedelta

import redis
from flask import current_app, request
from sqlalchemy import delete, func, select

from tracker import clock
from tracker.extensions import db
from tracker.security.models import SignInFailure


def client_address() -> str:
    """The address the request came from (ProxyFix makes this the client's behind a proxy)."""
    return (request.remote_addr or "unknown")[:64]


def _window() -> timedelta:
    return timedelta(minutes=current_app.config["SIGNIN_ADDRESS_WINDOW_MINUTES"])


class DatabaseCounter:
    """Failures as rows, counted over the last window."""

    def count(self, address: str) -> int:
        since = clock.now_utc() - _window()
        return db.session.scalar(
            select(func.count())
            .select_from(SignInFailure)
            .where(SignInFailure.address == address, SignInFailure.failed_at > since)
        )

    def add(self, address: str) -> None:
        now = clock.now_utc()
        db.session.execute(delete(SignInFailure).where(SignInFailure.failed_at <= now - _window()))
        db.session.add(SignInFailure(address=address, failed_at=now))


class RedisCounter:
    """Failures in one Redis counter per address per window, expiring on their own."""

    def __init__(self, url: str):
        self.client = redis.Redis.from_url(url)

    def _key(self, address: str) -> str:
        seconds = int(_window().total_seconds())
        window = int(clock.now_utc().timestamp()) // seconds
        return f"tracker:sign-in-failures:{address}:{window}"

    def count(self, address: str) -> int:
        return int(self.client.get(self._key(address)) or 0)

    def add(self, address: str) -> None:
        key = self._key(address)
        with self.client.pipeline() as pipe:
            pipe.incr(key)
            pipe.expire(key, int(_window().total_seconds()) * 2)
            pipe.execute()


def counter() -> DatabaseCounter | RedisCounter:
    """The counter the configuration names (one Redis connection pool per worker)."""
    storage = current_app.config.get("RATELIMIT_STORAGE") or "database"
    if storage == "database":
        return DatabaseCounter()
    cache = current_app.extensions.setdefault("sign_in_counters", {})
    if storage not in cache:
        cache[storage] = RedisCounter(storage)
    return cache[storage]


def address_blocked(address: str) -> bool:
    """True when this address has failed too often lately and must wait."""
    return counter().count(address) >= current_app.config["SIGNIN_ADDRESS_MAX_FAILURES"]


def count_failure(address: str) -> None:
    counter().add(address)
