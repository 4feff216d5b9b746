"""/admin/guidance: the practice manager edits, previews and restores the sidebar's guidance."""

from flask import Blueprint, abort, render_template, request

from tracker.guidance.forms import GuidanceForm
from tracker.guidance.services import GUIDANCE
from tracker.guidance.sidebar import guidance_sidebar
from tracker.guidance.text_format import render, unsafe_links
from tracker.guidance.topics import GROUPS, TOPICS
from tracker.staff.access import roles_required
from tracker.staff.models import Role
from tracker.versioned_text.editor import Editor

bp = Blueprint("guidance", __name__, url_prefix="/admin/guidance")
bp.add_app_template_global(guidance_sidebar, "guidance_sidebar")
bp.add_app_template_global(render, "render_guidance")

EDITOR = Editor(
    texts=GUIDANCE,
    form=GuidanceForm,
    template="guidance/edit.jinja",
    blueprint="guidance",
    key_arg="topic_key",
    saved="Guidance saved: {label}",
    # The preview is the sidebar's own rendering; a link that will not work is warned of, not
    # refused.
    check=lambda topic_key, text, saving: (render(text), []),
)


def topic_or_404(key: str):
    topic = TOPICS.get(key)
    if topic is None:
        abort(404)
    return topic


@bp.route("")
@roles_required(Role.PRACTICE_MANAGER)
def index():
    current = GUIDANCE.current_texts(list(TOPICS))
    groups = [
        (title, [topic for topic in TOPICS.values() if topic.group == group])
        for group, title in GROUPS
    ]
    return render_template("guidance/index.jinja", groups=groups, current=current)


@bp.route("/<topic_key>", methods=["GET", "POST"])
@roles_required(Role.PRACTICE_MANAGER)
def edit(topic_key: str):
    topic = topic_or_404(topic_key)
    typed = request.form.get("body", "") if request.method == "POST" else ""
    return EDITOR.edit(topic_key, topic=topic, broken_links=unsafe_links(typed))


@bp.route("/<topic_key>/restore", methods=["POST"])
@roles_required(Role.PRACTICE_MANAGER)
def restore(topic_key: str):
    topic_or_404(topic_key)
    return EDITOR.restore(topic_key)
