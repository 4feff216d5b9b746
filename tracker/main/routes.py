"""/ (home for the role) and /healthz."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from tracker import clock
from tracker.cases import clocks, news
from tracker.cases.clocks import current_targets
from tracker.extensions import db
from tracker.queue import services
from tracker.staff.models import Role, User

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def home():
    """Each role's starting page: what needs doing now. Someone who works in no practice but
    oversees a PCN or an ICB starts at its figures."""
    if current_user.role is None:
        return redirect(url_for("network.index"))
    targets = current_targets()
    today = clock.today_london()
    context = {"targets": targets, "news": news.new_for(current_user)}
    if current_user.role == Role.RECEPTION:
        context["new_today"] = [(c, clocks.due_dates(c, today)) for c in services.new_today(today)]
        context["waiting"] = [
            (c, clocks.due_dates(c, today)) for c in services.waiting_for_triage(today)
        ]
        context["mine"] = services.my_cases(current_user, today)  # their call-backs
    elif current_user.role in (Role.GP, Role.VISITING_GP):
        context["mine"] = services.my_cases(current_user, today)
    else:
        counts = services.open_counts(current_user)
        context["mine"] = services.my_cases(current_user, today, counts)
        context["counts"] = counts.by_stage
        context["waiting"] = [
            (c, clocks.due_dates(c, today)) for c in services.waiting_for_triage(today)
        ]
    return render_template(f"home/{current_user.role}.jinja", **context)


@bp.route("/news/seen", methods=["POST"])
@login_required
def news_seen():
    """Clear "New for you": changes after now are new again."""
    news.mark_seen(current_user)
    db.session.commit()
    return redirect(url_for("main.home"))


@bp.route("/healthz")
def healthz():
    """200 after reading a row of the database's tables (SQLite answers SELECT 1 without its
    file), 503 when the database cannot be reached."""
    try:
        db.session.execute(select(User.id).limit(1)).all()
    except SQLAlchemyError:
        db.session.rollback()
        body = {"status": "unavailable", "database": "unreachable"}
        return body, 503, {"Retry-After": "60"}
    return {"status": "ok", "database": "ok"}, 200
