"""/admin/users: the practice manager lists, creates and changes staff accounts."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.audit.record import diff, record_event
from tracker.cases import queries
from tracker.cases.errors import CaseError
from tracker.cases.leavers import LeaverCase, deactivate_and_hand_on
from tracker.cases.reviewers import active_reviewers, person, reviewer_choices, reviewer_problem
from tracker.extensions import db
from tracker.forms import choices
from tracker.security import two_factor
from tracker.security.forms import ResetTwoFactorForm
from tracker.security.sessions import end_session_of, visible_sessions
from tracker.security.sign_in import check_own_password, signed_out_locked
from tracker.staff import services
from tracker.staff.access import roles_required
from tracker.staff.forms import ConfirmForm, LeaverForm, StaffForm
from tracker.staff.models import Membership, Role, User

bp = Blueprint("staff", __name__, url_prefix="/admin/users")


@bp.before_request
@roles_required(Role.PRACTICE_MANAGER)
def require_practice_manager():
    """Every page here is for the practice manager alone."""


def account_snapshot(user: User) -> dict:
    return {
        "email": user.email,
        "full_name": user.full_name,
        "role": user.role,
        "is_senior_partner": user.is_senior_partner,
        "job_title": user.job_title,
    }


def account_event(kind: EventKind, user: User, detail: str, changes: dict | None = None) -> None:
    """Record a change to someone's account, naming the account changed."""
    record_event(
        kind,
        current_user,
        changes={"account": [None, user.email], **(changes or {})},
        detail=detail,
    )


def get_user_or_404(user_id: int) -> User:
    user = services.colleague(user_id)
    if user is None:
        abort(404)
    return user


@bp.route("")
def index():
    users = db.session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)  # those who work in this practice
        .where(Membership.visiting_from_id.is_(None))  # not GPs of other practices visiting
        .order_by(User.active.desc(), Membership.role, User.full_name)
    ).all()
    return render_template("admin/users/index.jinja", users=users)


@bp.route("/new", methods=["GET", "POST"])
def create():
    form = StaffForm()
    if form.validate_on_submit():
        password = services.temporary_password()
        try:
            user = services.create_user(
                email=form.email.data,
                full_name=form.full_name.data,
                role=form.role.data,
                is_senior_partner=form.is_senior_partner.data,
                password=password,
                job_title=form.job_title.data or None,
            )
        except services.StaffError as problem:
            form.email.errors.append(str(problem))
        else:
            account_event(EventKind.ACCOUNT_CREATED, user, f"Account created for {user.full_name}")
            db.session.commit()
            # Shown once on this response and never stored in clear or put in a cookie.
            return render_template(
                "admin/users/password.jinja", user=user, password=password, created=True
            )
    return render_template("admin/users/form.jinja", form=form, user=None)


@bp.route("/<int:user_id>", methods=["GET", "POST"])
def edit(user_id: int):
    user = get_user_or_404(user_id)
    form = StaffForm(obj=user)
    if form.validate_on_submit():
        if user.id == current_user.id and form.role.data != Role.PRACTICE_MANAGER:
            form.role.errors.append("You cannot take the practice manager role away from yourself")
        else:
            before = account_snapshot(user)
            try:
                services.update_user(
                    user,
                    email=form.email.data,
                    full_name=form.full_name.data,
                    role=form.role.data,
                    is_senior_partner=form.is_senior_partner.data,
                    job_title=form.job_title.data or None,
                )
            except services.StaffError as problem:
                form.email.errors.append(str(problem))
            else:
                changes = diff(before, account_snapshot(user))
                if changes:
                    account_event(
                        EventKind.ACCOUNT_CHANGED,
                        user,
                        f"{user.full_name}'s account changed",
                        changes,
                    )
                db.session.commit()
                flash(f"{user.full_name}'s account has been updated", "success")
                return redirect(url_for("staff.index"))
    return edit_page(user, form)


def edit_page(user: User, form: StaffForm, reset_form: ResetTwoFactorForm | None = None):
    """The account page: its details, password and two-factor, and where it is signed in."""
    return render_template(
        "admin/users/form.jinja",
        form=form,
        user=user,
        confirm=ConfirmForm(),
        reset_form=reset_form or ResetTwoFactorForm(formdata=None),
        sessions=visible_sessions(user),
        elsewhere=services.works_elsewhere(user),
    )


@bp.route("/<int:user_id>/deactivate", methods=["GET", "POST"])
def deactivate(user_id: int):
    """A leaver: their open cases are shown, and each is handed on with the reason, in the same
    confirmed step that stops the account signing in, so no open case keeps a reviewer who left."""
    user = get_user_or_404(user_id)
    # Someone who works in other practices too leaves this one only: their account goes on.
    elsewhere = services.works_elsewhere(user)
    if request.method == "POST":
        # Held until the deactivation commits: a reviewer chosen elsewhere meanwhile waits, then
        # sees the account closed (cases.actions.base.ChoosesReviewer.chosen_reviewer).
        user = db.session.get(User, user_id, with_for_update={"of": User}, populate_existing=True)
    if not user.active:
        return redirect(url_for("staff.edit", user_id=user.id))
    cases = queries.open_cases_reviewed_by(user.id)
    shown = ",".join(f"{case.id}:{case.version}" for case in cases)
    form = LeaverForm()
    form.everyone.choices = choices(
        [("", "Choose a reviewer")]
        + [
            (str(p.id), f"{p.full_name} ({p.role_label})")
            for p in active_reviewers()
            if p.id != user.id
        ]
    )
    rows = [LeaverCase(case, request.form.get(f"case-{case.id}", "")) for case in cases]
    valid = form.validate_on_submit()
    if valid and (form.shown.data or "") != shown:
        form.form_errors.append(
            f"{user.full_name}'s open cases changed after you opened this page. "
            "Check them below, then submit again."
        )
        valid = False
    form.shown.data = shown
    if valid and check_hand_ons(form, rows):
        try:
            deactivate_and_hand_on(user, current_user, rows, form.reason.data)
        except (services.StaffError, CaseError) as problem:
            db.session.rollback()
            flash(getattr(problem, "message", str(problem)), "error")
            return redirect(url_for("staff.edit", user_id=user.id))
        db.session.commit()
        handed = f" Their {len(rows)} open case(s) have been handed on." if rows else ""
        left = (
            f"{user.full_name} no longer works in this practice; their account goes on in their "
            "other practices."
            if elsewhere
            else f"{user.full_name} can no longer sign in."
        )
        flash(f"{left} Their history is kept.{handed}", "success")
        return redirect(url_for("staff.index"))
    for row in rows:
        row.choices = reviewer_choices(
            row.case, follow_route=row.no_one_asked is None, outside=False
        )
    return render_template(
        "admin/users/deactivate.jinja", user=user, form=form, rows=rows, elsewhere=elsewhere
    )


def check_hand_ons(form: LeaverForm, rows: list[LeaverCase]) -> bool:
    """Every open case has someone the case's rules allow, and there is a reason."""
    if not rows:
        return True
    ok = True
    if form.mode.data not in ("all", "each"):
        form.mode.errors.append("Choose who takes their open cases on")
        return False
    if not form.reason.data:
        form.reason.errors.append("Enter the reason for handing their cases on")
        ok = False
    if form.mode.data == "all":
        if not form.everyone.data:
            form.everyone.errors.append("Choose who takes on all their cases")
            return False
        for row in rows:
            row.chosen = form.everyone.data
    for row in rows:
        if not row.chosen:
            row.problem = f"Choose who takes on {row.case.reference}"
        elif row.chosen == str(row.case.reviewer_id):
            row.problem = f"{row.case.reference}: choose someone other than the person leaving"
        else:
            row.problem = reviewer_problem(
                row.case,
                person(row.chosen),
                follow_route=row.no_one_asked is None,
                outside=False,
            )
            if row.problem:
                row.problem = f"{row.case.reference}: {row.problem}"
        if row.problem:
            ok = False
            if form.mode.data == "all":
                form.everyone.errors.append(f"{row.problem}. Choose for each case instead")
            else:
                form.form_errors.append(row.problem)
    return ok


@bp.route("/<int:user_id>/reactivate", methods=["POST"])
def reactivate(user_id: int):
    user = get_user_or_404(user_id)
    if ConfirmForm().validate_on_submit():
        services.reactivate_user(user)
        account_event(
            EventKind.ACCOUNT_REACTIVATED, user, f"{user.full_name}'s account reactivated"
        )
        db.session.commit()
        flash(f"{user.full_name} can sign in again", "success")
    return redirect(url_for("staff.index"))


@bp.route("/<int:user_id>/reset-password", methods=["POST"])
def reset_password(user_id: int):
    user = get_user_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("staff.edit", user_id=user.id))
    password = services.reset_password(user)
    account_event(EventKind.PASSWORD_RESET, user, f"Temporary password set for {user.full_name}")
    db.session.commit()
    return render_template(
        "admin/users/password.jinja", user=user, password=password, created=False
    )


@bp.route("/<int:user_id>/reset-two-factor", methods=["POST"])
def reset_two_factor(user_id: int):
    user = get_user_or_404(user_id)
    form = ResetTwoFactorForm()
    if form.validate_on_submit():
        manager = current_user._get_current_object()
        checked = check_own_password(manager, form.password.data, "resetting two-factor sign-in")
        if checked == "locked":
            return signed_out_locked()
        if checked == "ok":
            two_factor.reset(user, by=manager)
            db.session.commit()
            flash(
                f"{user.full_name}'s two-factor sign-in has been reset. They set it up again at their next sign-in.",
                "success",
            )
            return redirect(url_for("staff.edit", user_id=user.id))
        form.password.errors.append("Your password is not right")
    return edit_page(user, StaffForm(obj=user, formdata=None), form)


@bp.route("/<int:user_id>/sessions/<int:session_id>/end", methods=["POST"])
def end_their_session(user_id: int, session_id: int):
    """The practice manager ends one of someone's sessions (a PC left signed in, say)."""
    user = get_user_or_404(user_id)
    if ConfirmForm().validate_on_submit():
        ended = end_session_of(user, session_id, by=current_user._get_current_object())
        if ended is not None:
            account_event(
                EventKind.SESSION_ENDED,
                user,
                f"Ended {user.full_name}'s session on {ended.browser} (signed in "
                f"{clock.format_moment(ended.started_at)})",
            )
            db.session.commit()
            flash(f"{user.full_name}'s session on {ended.browser} has been ended", "success")
    return redirect(url_for("staff.edit", user_id=user.id) + "#sessions")
