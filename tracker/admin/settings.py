"""/admin/settings: the practice manager edits the practice's settings."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from tracker.admin.settings_forms import PracticeSettingsForm
from tracker.audit.kinds import EventKind
from tracker.audit.record import diff, record_event
from tracker.extensions import db
from tracker.mail.sender import where_mail_goes
from tracker.practices.services import find_practice
from tracker.security.providers import offered, offered_labels
from tracker.settings.models import settings_to_change
from tracker.staff.access import roles_required
from tracker.staff.models import Role

bp = Blueprint("settings", __name__, url_prefix="/admin")


@bp.route("/settings", methods=["GET", "POST"])
@roles_required(Role.PRACTICE_MANAGER)
def edit():
    settings = settings_to_change()
    form = PracticeSettingsForm(obj=settings)
    if offered():
        form.sign_in_at_provider_only.label.text = f"Staff sign in with {offered_labels()} only"
    else:
        del form.sign_in_at_provider_only  # nothing to sign in with but a password
    if form.validate_on_submit() and not _ods_code_taken(form, settings):
        before = {name: getattr(settings, name) for name in form.data if name != "csrf_token"}
        form.populate_obj(settings)
        settings.updated_by_id = current_user.id
        db.session.add(settings)
        changes = diff(before, {name: getattr(settings, name) for name in before})
        if changes:
            record_event(
                EventKind.SETTINGS_CHANGED,
                current_user,
                changes=changes,
                detail="Practice settings changed",
            )
        db.session.commit()
        flash("Practice settings saved", "success")
        return redirect(url_for("settings.edit"))
    return render_template("admin/settings.jinja", form=form, mail_status=where_mail_goes())


def _ods_code_taken(form: PracticeSettingsForm, settings) -> bool:
    """An ODS code names one practice of the install: another practice's is refused."""
    other = find_practice(form.ods_code.data) if form.ods_code.data else None
    if other is None or other.id == settings.id:
        return False
    form.ods_code.errors = [
        *form.ods_code.errors,
        f"Another practice on this tracker has the ODS code {other.ods_code}: check the code",
    ]
    return True
