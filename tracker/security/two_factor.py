"""Time-based one-time codes (authenticator apps), recovery codes, enrolment and reset."""

import hmac
import re
import secrets

import pyotp
import segno
from flask import current_app
from markupsafe import Markup
from sqlalchemy import delete, or_, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.audit.record import record_event
from tracker.extensions import db
from tracker.security.models import RecoveryCode
from tracker.settings.models import load_settings
from tracker.staff.models import Role, User
from tracker.staff.sessions import EndReason, UserSession, end_sessions

RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def required_for(user: User) -> bool:
    """Whether this person must sign in with a code: the practice manager always, everyone
    when the practice has turned it on."""
    if not current_app.config.get("TWO_FACTOR_ENFORCED", True):
        return False
    return user.role == Role.PRACTICE_MANAGER or bool(load_settings().two_factor_for_everyone)


def may_skip_enrolment(user: User) -> bool:
    """Demo accounts in the demo may put enrolment off; nobody else can."""
    return bool(current_app.config.get("TWO_FACTOR_DEMO_SKIP")) and user.is_demo


def pending_secret(user: User) -> str:
    """The secret to show on the enrolment page, made the first time it is needed."""
    if user.totp_secret is None or user.two_factor_enabled:
        user.totp_secret = pyotp.random_base32()
        user.totp_enabled_at = None
    return user.totp_secret


def provisioning_uri(user: User) -> str:
    return pyotp.TOTP(user.totp_secret).provisioning_uri(
        name=user.email, issuer_name=current_app.config["TWO_FACTOR_ISSUER"]
    )


def qr_code_svg(uri: str) -> Markup:
    """The enrolment QR code as inline SVG, drawn on the server (no outside service)."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, dark="#212b32", light="#ffffff")
    return Markup(svg.replace("<svg ", '<svg role="img" aria-label="QR code to scan" ', 1))  # noqa: S704 - segno's own SVG


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _digits(code: str) -> str:
    return re.sub(r"\s", "", code or "")


def check_code(user: User, code: str) -> str:
    """'ok' for a fresh correct code (and remember its time step), 'replayed' for a correct
    code already used, 'wrong' otherwise. One step of clock drift either way is allowed."""
    code = _digits(code)
    if user.totp_secret is None or not (code.isdigit() and len(code) == 6):
        return "wrong"
    totp = pyotp.TOTP(user.totp_secret)
    current = totp.timecode(clock.now_utc())
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            # One UPDATE, so two workers cannot both accept the same code.
            taken = db.session.execute(
                update(User)
                .where(
                    User.id == user.id,
                    or_(User.totp_last_step.is_(None), User.totp_last_step < step),
                )
                .values(totp_last_step=step)
                .execution_options(synchronize_session=False)
            ).rowcount
            db.session.expire(user, ["totp_last_step"])
            return "ok" if taken == 1 else "replayed"
    return "wrong"


def looks_like_recovery_code(code: str) -> bool:
    return any(c.isalpha() for c in code or "")


def _normal_recovery(code: str) -> str:
    return re.sub(r"[\s-]", "", (code or "").lower())


def new_recovery_codes(user: User) -> list[str]:
    """Replace this person's recovery codes with ten new ones; only hashes are kept."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(
            RecoveryCode(user_id=user.id, code_hash=generate_password_hash(raw, method=method))
        )
    return codes


def use_recovery_code(user: User, code: str) -> bool:
    """True when the code is one of this person's unused recovery codes; it is used up."""
    typed = _normal_recovery(code)
    if len(typed) != 10:
        return False
    unused = db.session.scalars(
        select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ).all()
    for candidate in unused:
        if check_password_hash(candidate.code_hash, typed):
            used = db.session.execute(
                update(RecoveryCode)
                .where(RecoveryCode.id == candidate.id, RecoveryCode.used_at.is_(None))
                .values(used_at=clock.now_utc())
                .execution_options(synchronize_session=False)
            ).rowcount
            return used == 1
    return False


def recovery_codes_left(user: User) -> int:
    return len(
        db.session.scalars(
            select(RecoveryCode.id).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        ).all()
    )


def confirm_enrolment(user: User, code: str, *, keep: UserSession | None) -> list[str] | None:
    """Turn two-factor sign-in on when the first code from the app is right, ending this
    person's other sessions (but `keep`); returns the recovery codes to show once, or None
    when the code is not right."""
    if check_code(user, code) != "ok":
        return None
    user.totp_enabled_at = clock.now_utc()
    end_sessions(user, EndReason.TWO_FACTOR_CHANGED, keep=keep)
    codes = new_recovery_codes(user)
    record_event(
        EventKind.TWO_FACTOR_ENROLLED, user, detail=f"{user.full_name} set up two-factor sign-in"
    )
    return codes


def reset(user: User, *, by: User) -> None:
    """Remove someone's authenticator and recovery codes so they enrol again; ends their sessions."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    end_sessions(user, EndReason.TWO_FACTOR_CHANGED, by=by)
    record_event(
        EventKind.TWO_FACTOR_RESET,
        by,
        changes={"account": [None, user.email]},
        detail=f"Two-factor sign-in reset for {user.full_name}",
    )
