"""/admin/guidance: the practice manager edits, previews and restores the sidebar's guidance."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from tracker.extensions import db
from tracker.guidance import services
from tracker.guidance.defaults import DEFAULT_TEXTS
from tracker.guidance.forms import GuidanceForm, RestoreForm
from tracker.guidance.sidebar import guidance_sidebar
from tracker.guidance.text_format import render, unsafe_links
from tracker.guidance.topics import GROUPS, TOPICS
from tracker.staff.access import roles_required
from tracker.staff.models import Role

bp = Blueprint("guidance", __name__, url_prefix="/admin/guidance")
bp.add_app_template_global(guidance_sidebar, "guidance_sidebar")
bp.add_app_template_global(render, "render_guidance")


def topic_or_404(key: str):
    topic = TOPICS.get(key)
    if topic is None:
        abort(404)
    return topic


@bp.route("")
@roles_required(Role.PRACTICE_MANAGER)
def index():
    current = services.current_texts(list(TOPICS))
    groups = [
        (title, [topic for topic in TOPICS.values() if topic.group == group])
        for group, title in GROUPS
    ]
    return render_template("guidance/index.jinja", groups=groups, current=current)


@bp.route("/<topic_key>", methods=["GET", "POST"])
@roles_required(Role.PRACTICE_MANAGER)
def edit(topic_key: str):
    topic = topic_or_404(topic_key)
    current = services.current_text(topic_key)
    form = GuidanceForm(data={"body": current.body} if request.method == "GET" else None)
    preview = None
    if form.validate_on_submit():
        if request.form.get("intent") == "save":
            saved = services.save_text(topic_key, form.body.data, current_user)
            db.session.commit()
            flash(
                f"Guidance saved: {topic.title}"
                if saved
                else "No change to save: the text is the same",
                "success" if saved else "info",
            )
            return redirect(url_for("guidance.edit", topic_key=topic_key))
        preview = render(form.body.data)
    return render_template(
        "guidance/edit.jinja",
        topic=topic,
        current=current,
        form=form,
        preview=preview,
        broken_links=unsafe_links(form.body.data or "") if request.method == "POST" else [],
        restore_form=RestoreForm(),
        versions=services.history(topic_key),
        shipped=DEFAULT_TEXTS[topic_key],
    )


@bp.route("/<topic_key>/restore", methods=["POST"])
@roles_required(Role.PRACTICE_MANAGER)
def restore(topic_key: str):
    topic = topic_or_404(topic_key)
    if not RestoreForm().validate_on_submit():
        abort(400)
    restored = services.restore_default(topic_key, current_user)
    db.session.commit()
    flash(
        f"Shipped text restored: {topic.title}"
        if restored
        else "The shipped text is already in use",
        "success" if restored else "info",
    )
    return redirect(url_for("guidance.edit", topic_key=topic_key))
