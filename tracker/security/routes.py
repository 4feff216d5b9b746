"""The code step of sign-in, setting up two-factor sign-in, and the subject access export."""

import tempfile

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    send_file,
    session,
    url_for,
)
from flask_login import current_user, login_required

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.audit.record import record_event
from tracker.cases.models import format_nhs_number
from tracker.extensions import db
from tracker.security import ratelimit, subject_access
from tracker.security import two_factor as tf
from tracker.security.forms import EnrolForm, SignInCodeForm, SubjectAccessForm
from tracker.security.identities import NewLink, link
from tracker.security.sessions import (
    current_session,
    end_session_of,
    start_session,
    visible_sessions,
)
from tracker.security.sign_in import (
    check_own_password,
    record_failure,
    sign_in_failed,
    signed_in,
    signed_out_locked,
)
from tracker.staff.access import roles_required
from tracker.staff.forms import ConfirmForm
from tracker.staff.models import Role, User
from tracker.staff.sessions import AtProvider, EndReason, end_sessions

bp = Blueprint("security", __name__)

CODE_NOT_RIGHT = (
    "The code is not right, or it has been used already. "
    "Wait for the app to show a new code and try again."
)
CODE_STEP_EXPIRED = "You took too long to enter the code. Sign in again."
LINKED_MEANWHILE = (
    "Your {label} identity or your tracker account was linked by another sign-in just now. "
    "Sign in again, or ask your practice manager."
)


def pending_user() -> User | None:
    """The person who has given their password and now owes a code, while it is still fresh."""
    pending = session.get("pending_sign_in")
    if not pending:
        return None
    age = clock.now_utc().timestamp() - pending["started_at"]
    user = db.session.get(User, pending["user_id"])
    if (
        age > current_app.config["SIGN_IN_CODE_MINUTES"] * 60
        or user is None
        or not user.active
        or user.is_locked(clock.now_utc())
        or user.session_version != pending["session_version"]
        or not user.two_factor_enabled
    ):
        return None
    return user


@bp.route("/login/code", methods=["GET", "POST"])
def sign_in_code():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    user = pending_user()
    if user is None:
        had_pending = session.pop("pending_sign_in", None) is not None
        if had_pending:
            flash(CODE_STEP_EXPIRED, "info")
        return redirect(url_for("auth.login"))
    form = SignInCodeForm()
    if form.validate_on_submit():
        address = ratelimit.client_address()
        if ratelimit.address_blocked(address):
            sign_in_failed(user, "too many failures from this address")
            db.session.commit()
            form.code.errors.append(
                "There have been too many failed sign-ins from this computer. Wait 15 minutes and try again."
            )
        else:
            typed = form.code.data
            # After a password, or after a provider's sign-in that asserted one factor only.
            via = session["pending_sign_in"].get("provider")
            first = via["label"] if via else "password"
            if tf.looks_like_recovery_code(typed):
                result = "ok" if tf.use_recovery_code(user, typed) else "wrong recovery"
                method = f"{first} and a recovery code"
            else:
                result = tf.check_code(user, typed)
                method = f"{first} and authenticator code"
            if (
                result == "ok"
                and via
                and via.get("link")
                and not link(user, NewLink(**via["link"]))
            ):
                session.pop("pending_sign_in", None)
                sign_in_failed(user, f"{via['label']}: the identity was linked meanwhile")
                db.session.commit()
                flash(LINKED_MEANWHILE.format(label=via["label"]), "error")
                return redirect(url_for("auth.login"))
            if result == "ok":
                next_url = session["pending_sign_in"].get("next")
                signed_in(
                    user, method, break_glass=bool(session["pending_sign_in"].get("break_glass"))
                )
                if "recovery" in method:
                    left = tf.recovery_codes_left(user)
                    record_event(
                        EventKind.RECOVERY_CODE_USED, user, detail=f"{left} recovery codes left"
                    )
                start_session(
                    user,
                    at_provider=AtProvider(via["key"], via["session_id"], multi_factor=False)
                    if via
                    else None,
                    practice_id=via["practice_id"] if via else None,
                )
                return redirect(next_url or url_for("main.home"))
            reason = {
                "replayed": "authenticator code already used",
                "wrong": "wrong authenticator code",
            }.get(result, "wrong recovery code")
            sign_in_failed(user, reason)
            record_failure(user)
            ratelimit.count_failure(address)
            db.session.commit()
            if user.is_locked(clock.now_utc()):
                session.pop("pending_sign_in", None)
                flash(
                    "Your email address or password is not right, or your account is locked. "
                    "Check them and try again, or ask your practice manager.",
                    "error",
                )
                return redirect(url_for("auth.login"))
            form.code.errors.append(CODE_NOT_RIGHT)
        form.code.data = ""
    return render_template("auth/code.jinja", form=form)


@bp.route("/account/two-factor", methods=["GET", "POST"])
@login_required
def two_factor():
    """Set up two-factor sign-in, or see that it is set up."""
    user = current_user._get_current_object()
    if user.two_factor_enabled:
        return render_template(
            "account/two_factor.jinja",
            left=tf.recovery_codes_left(user),
            form=None,
        )
    form = EnrolForm()
    secret = tf.pending_secret(user)
    db.session.commit()  # the same secret is shown until the person confirms it
    if form.validate_on_submit():
        checked = check_own_password(user, form.password.data, "setting up two-factor sign-in")
        if checked == "locked":
            return signed_out_locked()
        if checked == "wrong":
            form.password.errors.append("Your password is not right")
        else:
            codes = tf.confirm_enrolment(user, form.code.data, keep=current_session())
            if codes is not None:
                db.session.commit()
                session.pop("enrolment_put_off", None)
                return render_template("account/recovery_codes.jinja", codes=codes)
            db.session.rollback()
            form.code.errors.append(CODE_NOT_RIGHT)
        form.code.data = ""
    uri = tf.provisioning_uri(user)
    return render_template(
        "account/enrol.jinja",
        form=form,
        qr_code=tf.qr_code_svg(uri),
        secret=tf.grouped(secret),
        required=tf.required_for(user),
        may_skip=tf.may_skip_enrolment(user),
        skip_form=ConfirmForm(),
    )


@bp.route("/account/two-factor/skip", methods=["POST"])
@login_required
def skip_enrolment():
    """Demo accounts in the demo only: try the tracker now, set up two-factor sign-in later."""
    if ConfirmForm().validate_on_submit() and tf.may_skip_enrolment(current_user):
        session["enrolment_put_off"] = True
        flash("Two-factor sign-in put off for this demo session", "info")
        return redirect(url_for("main.home"))
    return redirect(url_for("security.two_factor"))


@bp.route("/admin/subject-access", methods=["GET", "POST"])
@roles_required(Role.PRACTICE_MANAGER)
def subject_access_export():
    """Everything held about one patient, found by NHS number, as one download."""
    form = SubjectAccessForm()
    not_found = None
    if form.validate_on_submit():
        number = form.nhs_number.data
        export = subject_access.export_for(number, requested_by=current_user)
        if not export.records:
            db.session.commit()  # a search that found nothing is recorded too
            not_found = format_nhs_number(number)
        else:
            stamp = clock.to_london(clock.now_utc()).strftime("%Y-%m-%d")
            # Documents may make it large: held in memory up to a point, then on disk.
            archive = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 - send_file closes it
            subject_access.write_zip(export, archive)
            db.session.commit()  # the export is recorded before anything leaves
            archive.seek(0)
            return send_file(
                archive,
                mimetype="application/zip",
                as_attachment=True,
                # Named by date alone: a file name lands in download lists and histories.
                download_name=f"subject-access-{stamp}.zip",
                etag=False,
                conditional=False,
                max_age=0,
            )
    return render_template("admin/subject_access.jinja", form=form, not_found=not_found)


@bp.route("/account/sessions")
@login_required
def sessions():
    """Where this person is signed in now, with a way to end the others."""
    here = current_session()
    return render_template(
        "account/sessions.jinja",
        sessions=sorted(visible_sessions(current_user), key=lambda s: s.id != here.id),
        this_session=here,
        confirm=ConfirmForm(),
    )


@bp.route("/account/sessions/<int:session_id>/end", methods=["POST"])
@login_required
def end_own_session(session_id: int):
    """End one of this person's other sessions (a PC they forgot to sign out of)."""
    user = current_user._get_current_object()
    if ConfirmForm().validate_on_submit() and session_id != current_session().id:
        ended = end_session_of(user, session_id, by=user)
        if ended is not None:
            record_event(
                EventKind.SESSION_ENDED,
                user,
                detail=f"Ended their own session on {ended.browser} (signed in "
                f"{clock.format_moment(ended.started_at)})",
            )
            db.session.commit()
            flash(f"Your session on {ended.browser} has been ended", "success")
    return redirect(url_for("security.sessions"))


@bp.route("/account/sessions/end-others", methods=["POST"])
@login_required
def end_other_sessions():
    """Sign this person out everywhere but here."""
    user = current_user._get_current_object()
    if ConfirmForm().validate_on_submit():
        count = end_sessions(user, EndReason.ENDED_BY_THEM, keep=current_session(), by=user)
        if count:
            record_event(
                EventKind.SESSION_ENDED,
                user,
                detail=f"Signed out of {count} other session{'s' if count != 1 else ''}",
            )
        db.session.commit()
        flash("You have been signed out everywhere else", "success")
    return redirect(url_for("security.sessions"))
