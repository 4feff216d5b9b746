"""/ (home for the role) and /healthz."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from tracker.extensions import db

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def home():
    return render_template(f"home/{current_user.role}.jinja")


@bp.route("/healthz")
def healthz():
    """200 after a database round trip, 503 when the database cannot be reached."""
    try:
        db.session.execute(text("SELECT 1")).scalar_one()
    except SQLAlchemyError:
        db.session.rollback()
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}, 200
