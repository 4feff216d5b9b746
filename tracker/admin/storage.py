"""/admin/storage: the practice manager sees the storage documents use (how many, how much, the
cases that hold most) beside the upload limits."""

from flask import Blueprint, render_template

from tracker.cases import attachments
from tracker.config import UPLOAD_LIMITS
from tracker.staff.access import roles_required
from tracker.staff.models import Role

bp = Blueprint("storage", __name__, url_prefix="/admin")


@bp.route("/storage")
@roles_required(Role.PRACTICE_MANAGER)
def index():
    return render_template(
        "admin/storage.jinja",
        storage=attachments.storage_used(),
        limits=UPLOAD_LIMITS,
        whole_mb=attachments.whole_mb,
    )
