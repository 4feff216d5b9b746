"""/queue: my cases and the practice queue, with filters kept in the URL."""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker import clock
from tracker.cases import clocks
from tracker.cases.codes import Route
from tracker.cases.workflow import Stage
from tracker.queue import services
from tracker.staff.models import Role

bp = Blueprint("queue", __name__)


@bp.route("/queue")
@login_required
def index():
    filters = services.QueueFilters.from_args(request.args)
    if filters.q and filters.as_args(page=1, sort="urgent").keys() == {"q"}:
        reference = services.straight_to(filters.q)
        if reference is not None:  # an exact reference, or a full NHS number with one case
            return redirect(url_for("cases.show", reference=reference))
    today = clock.today_london()
    counts = services.open_counts(current_user)
    result = services.practice_queue(filters, today, counts)
    mine = None
    if current_user.role in (Role.GP, Role.PRACTICE_MANAGER):
        mine = services.my_cases(current_user, today, counts)
    return render_template(
        "queue/index.jinja",
        filters=filters,
        result=result,
        rows=[(case, clocks.due_dates(case, today)) for case in result.cases],
        mine=mine,
        counts=counts.by_stage,
        reviewers=services.reviewers(),
        routes=dict(Route.choices()),
        stages=dict(Stage.choices()),
        sorts=services.SORTS,
        page_url=lambda **changes: url_for("queue.index", **filters.as_args(**changes)),
        open_stages=[s for s in Stage if s != Stage.CLOSED],
    )
