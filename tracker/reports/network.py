"""/network: a PCN's and an ICB's practices side by side, in figures alone.

A PCN manager sees each practice of their PCN, an ICB manager each practice of every PCN of
their ICB: the month's requests, closures and PALS referrals, the targets met, and the year's
return of written complaints, with downloads in the page's layout. Only counts leave a practice
here: no patient, case, reference or member of staff is named, and each practice's figures are
read in that practice alone (`in_practice`), through the same queries as its own reports.
"""

from dataclasses import dataclass, fields

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.audit.record import record_event
from tracker.cases.codes import Outcome
from tracker.extensions import db
from tracker.practices.models import Icb, NetworkRole, Pcn, Practice
from tracker.practices.scope import in_practice
from tracker.reports.csv_export import stream_rows
from tracker.reports.figures import (
    ComplaintsYear,
    Month,
    MonthFigures,
    complaints_year,
    month_figures,
)
from tracker.spreadsheet import Column, xlsx_download

bp = Blueprint("network", __name__, url_prefix="/network")


@dataclass(frozen=True)
class Network:
    """A PCN or an ICB someone oversees."""

    kind: str  # "pcn" or "icb"
    id: int
    name: str


def networks_of(user_id: int) -> list[Network]:
    """The PCNs and ICBs this person oversees, by name."""
    rows = db.session.execute(
        select(NetworkRole.pcn_id, Pcn.name, NetworkRole.icb_id, Icb.name)
        .outerjoin(Pcn, Pcn.id == NetworkRole.pcn_id)
        .outerjoin(Icb, Icb.id == NetworkRole.icb_id)
        .where(NetworkRole.user_id == user_id)
    ).all()
    found = [
        Network("pcn", pcn_id, pcn_name) if pcn_id else Network("icb", icb_id, icb_name)
        for pcn_id, pcn_name, icb_id, icb_name in rows
    ]
    return sorted(found, key=lambda n: (n.kind != "icb", n.name))


def overseen(
    user_id: int, kind: str, network_id: int
) -> tuple[Network, list[tuple[Practice, Pcn]]]:
    """The network and its practices (with each one's PCN), when this person oversees it: an
    ICB manager sees every PCN of their ICB. Anyone else gets "page not found": the one check
    every network page and download makes."""
    network = next((n for n in networks_of(user_id) if (n.kind, n.id) == (kind, network_id)), None)
    if network is None:
        abort(404)
    query = select(Practice, Pcn).join(Pcn, Pcn.id == Practice.pcn_id)
    if kind == "pcn":
        query = query.where(Pcn.id == network_id)
    else:
        query = query.where(Pcn.icb_id == network_id)
    practices = db.session.execute(query.order_by(Pcn.name, Practice.practice_name)).all()
    return network, [(practice, pcn) for practice, pcn in practices]


@dataclass
class PracticeFigures:
    """One practice's row: the month's figures and the year's complaints return, counts only."""

    network: str
    practice: str
    ods_code: str
    month: MonthFigures
    complaints: ComplaintsYear


def practice_figures(
    practices: list[tuple[Practice, Pcn]], month: Month, year: int
) -> list[PracticeFigures]:
    """Each practice's figures, read in that practice through its own reports' queries."""
    rows = []
    for practice, pcn in practices:
        with in_practice(practice.id):
            figures = month_figures(month, with_assign=True)
            complaints = complaints_year(year)
        rows.append(
            PracticeFigures(
                pcn.name, practice.practice_name, practice.ods_code or "", figures, complaints
            )
        )
    return rows


def _within(durations) -> tuple[int, int, float | None]:
    return durations.within_target, durations.count, durations.pct_within_target


def _percent(within: int, count: int) -> float | None:
    return round(100 * within / count, 1) if count else None


COMPLAINT_FIELDS = [f.name for f in fields(ComplaintsYear) if f.name != "year"]
OUTCOMES = list(Outcome)


def table_row(row: PracticeFigures) -> list:
    """The side-by-side table's cells for one practice, as the page, CSV and Excel show them."""
    month = row.month
    assign_within, assigned, assign_pct = _within(month.to_assign)
    outcome_within, outcomes, outcome_pct = _within(month.to_outcome)
    return [
        row.network,
        row.practice,
        row.ods_code,
        month.received,
        month.formal_complaints,
        month.urgent,
        month.closed,
        month.open_at_month_end,
        month.pals_referrals,
        assigned,
        assign_within,
        assign_pct,
        outcomes,
        outcome_within,
        outcome_pct,
        *(month.outcomes.get(outcome.value, 0) for outcome in OUTCOMES),
        *(getattr(row.complaints, name) for name in COMPLAINT_FIELDS),
    ]


def total_row(rows: list[PracticeFigures], label: str) -> list:
    """The sum of the practices' rows, percentages worked out from the sums."""
    cells = [table_row(row) for row in rows]
    total = [label, f"{len(rows)} practices", ""]
    for index in range(3, len(COLUMNS)):
        if COLUMNS[index].label.startswith("%"):
            total.append(None)
        else:
            total.append(sum(cell[index] or 0 for cell in cells))
    for pct, within, count in ((11, 10, 9), (14, 13, 12)):
        total[pct] = _percent(total[within], total[count])
    return total


COLUMNS = [
    Column("PCN", width=24),
    Column("Practice", width=28),
    Column("ODS code", width=10),
    Column("Requests received", "number"),
    Column("Formal complaints received", "number"),
    Column("Urgent concerns", "number"),
    Column("Closed", "number"),
    Column("Open at month end", "number"),
    Column("PALS referrals", "number"),
    Column("Assigned", "number"),
    Column("Assigned within target", "number"),
    Column("% assigned within target", "number"),
    Column("Outcomes recorded", "number"),
    Column("Outcomes within target", "number"),
    Column("% outcomes within target", "number"),
    *(Column(f"Outcome: {outcome.label}", "number") for outcome in OUTCOMES),
    Column("Complaints brought forward", "number"),
    Column("Complaints new", "number"),
    Column("Complaints resolved", "number"),
    Column("Complaints upheld", "number"),
    Column("Complaints partially upheld", "number"),
    Column("Complaints not upheld", "number"),
    Column("Complaints carried forward", "number"),
]


def requested_period() -> tuple[Month, int]:
    """The month asked for (this month unless another is given) and the complaints year (from
    1 April) it falls in."""
    month = Month.parse(request.args.get("month")) or Month.containing(clock.today_london())
    year = month.year if month.month >= 4 else month.year - 1
    return month, year


@bp.route("/")
@login_required
def index():
    """The networks this person oversees; with one, straight to it."""
    networks = networks_of(current_user.id)
    if not networks:
        abort(404)
    if len(networks) == 1:
        return redirect(url_for("network.show", kind=networks[0].kind, network_id=networks[0].id))
    return render_template("reports/networks.jinja", networks=networks)


def _figures(kind: str, network_id: int):
    if kind not in ("pcn", "icb"):
        abort(404)
    network, practices = overseen(current_user.id, kind, network_id)
    month, year = requested_period()
    rows = practice_figures(practices, month, year)
    return network, month, year, rows


@bp.route("/<kind>/<int:network_id>")
@login_required
def show(kind: str, network_id: int):
    network, month, year, rows = _figures(kind, network_id)
    by_pcn: dict[str, list[PracticeFigures]] = {}
    for row in rows:
        by_pcn.setdefault(row.network, []).append(row)
    this_month = Month.containing(clock.today_london())
    return render_template(
        "reports/network.jinja",
        network=network,
        month=month,
        year=year,
        columns=COLUMNS,
        by_pcn={pcn: [table_row(r) for r in pcn_rows] for pcn, pcn_rows in by_pcn.items()},
        subtotals={pcn: total_row(pcn_rows, f"{pcn} in all") for pcn, pcn_rows in by_pcn.items()},
        total=total_row(rows, f"{network.name} in all"),
        complaints_label=f"April {year} to March {year + 1}",
        outcome_count=len(OUTCOMES),
        recent=[this_month.back(n) for n in range(0, 24)],
    )


def _download_rows(rows: list[PracticeFigures], network: Network) -> list[list]:
    return [table_row(row) for row in rows] + [total_row(rows, f"{network.name} in all")]


def _record(network: Network, file: str, month: Month) -> None:
    record_event(
        EventKind.EXPORT,
        current_user,
        changes={"report": ["", f"network.{file}"], "months": ["", str(month)]},
        detail=f"Downloaded the figures of {network.name} for {month.label} (no identifiers)",
    )
    db.session.commit()


def _file_name(network: Network, month: Month, extension: str) -> str:
    slug = "".join(c if c.isalnum() else "-" for c in network.name.lower()).strip("-")
    return f"{slug}-{month}.{extension}"


@bp.route("/<kind>/<int:network_id>.csv")
@login_required
def show_csv(kind: str, network_id: int) -> Response:
    network, month, _, rows = _figures(kind, network_id)
    _record(network, "csv", month)
    response = Response(
        stream_rows([c.label for c in COLUMNS], _download_rows(rows, network)),
        mimetype="text/csv",
    )
    name = _file_name(network, month, "csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<kind>/<int:network_id>.xlsx")
@login_required
def show_xlsx(kind: str, network_id: int) -> Response:
    network, month, _, rows = _figures(kind, network_id)
    _record(network, "xlsx", month)
    return xlsx_download(
        _file_name(network, month, "xlsx"),
        f"{network.name[:20]} {month.short_label}",
        COLUMNS,
        _download_rows(rows, network),
    )
