"""/account/notifications: each person chooses, for each kind of email, whether it comes as
it happens or in their daily summary (urgent concerns always come at once)."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import RadioField
from wtforms.validators import InputRequired

from tracker.audit.kinds import EventKind
from tracker.audit.record import record_event
from tracker.extensions import db
from tracker.forms import Form, choices
from tracker.outbox.models import CHOOSABLE, Delivery, NotificationPreference
from tracker.outbox.write import mail_enabled
from tracker.settings.models import load_settings

bp = Blueprint("notifications", __name__, url_prefix="/account")


def preferences_form(chosen: dict[str, str]) -> Form:
    """A form with one "as it happens / daily summary" choice for each kind."""

    class PreferencesForm(Form):
        pass

    for kind in CHOOSABLE:
        setattr(
            PreferencesForm,
            kind.value,
            RadioField(
                kind.label,
                choices=choices(Delivery.choices()),
                default=chosen.get(kind.value, Delivery.IMMEDIATE.value),
                validators=[InputRequired(f"Choose when you get the email '{kind.label}'")],
            ),
        )
    return PreferencesForm()


@bp.route("/notifications", methods=["GET", "POST"])
@login_required
def edit():
    stored = {
        row.kind: row
        for row in db.session.scalars(
            select(NotificationPreference).where(NotificationPreference.user_id == current_user.id)
        )
    }
    form = preferences_form({kind: row.delivery for kind, row in stored.items()})
    if form.validate_on_submit():
        changes = {}
        for kind in CHOOSABLE:
            delivery = form[kind.value].data
            row = stored.get(kind.value)
            before = row.delivery if row is not None else form[kind.value].default
            if before != delivery:
                changes[kind.value] = [before, delivery]
            if row is None:
                db.session.add(
                    NotificationPreference(
                        user_id=current_user.id, kind=kind.value, delivery=delivery
                    )
                )
            else:
                row.delivery = delivery
        if changes:
            record_event(EventKind.EMAIL_CHOICES_CHANGED, current_user, changes=changes)
        db.session.commit()
        flash("Your email choices are saved", "success")
        return redirect(url_for("notifications.edit"))
    settings = load_settings()
    return render_template(
        "account/notifications.jinja",
        form=form,
        kinds=CHOOSABLE,
        turned_off=settings.turned_off,
        summary_time=settings.daily_summary_time,
        mail_on=mail_enabled(),
    )
