"""/admin/audit: the practice manager filters the whole audit log and exports it as CSV or Excel."""

import json

from flask import Blueprint, current_app, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from tracker import clock
from tracker.admin import audit_queries as services
from tracker.admin.audit_csv import csv_download
from tracker.admin.audit_forms import AuditFilterForm
from tracker.audit.kinds import EventKind
from tracker.audit.record import record_event
from tracker.cases.presenters import event_label
from tracker.cases.workflow import Stage
from tracker.extensions import db
from tracker.spreadsheet import Column, xlsx_download
from tracker.staff.access import roles_required
from tracker.staff.models import Role, User

bp = Blueprint("audit", __name__, url_prefix="/admin")

PAGE_SIZE = 50
CSV_COLUMNS = [
    "occurred_at_utc",
    "occurred_at_uk",
    "person",
    "person_email",
    "kind",
    "case_reference",
    "from_stage",
    "to_stage",
    "changes",
    "detail",
]


def filter_form() -> tuple[AuditFilterForm, services.AuditFilters, bool]:
    form = AuditFilterForm(request.args)
    people = db.session.scalars(
        select(User).where(User.membership.has()).order_by(User.full_name)
    ).all()
    form.person.choices = [("", "Anyone")] + [(str(p.id), p.full_name) for p in people]
    form.kind.choices = [("", "Anything")] + [
        (kind, event_label(kind)) for kind in services.kinds_in_use()
    ]
    valid = form.validate()
    filters = services.AuditFilters()
    if valid:
        filters = services.AuditFilters(
            actor_id=int(form.person.data) if form.person.data else None,
            reference=form.case.data or None,
            kind=form.kind.data or None,
            date_from=form.day_from,
            date_to=form.day_to,
        )
    return form, filters, valid


@bp.route("/audit")
@roles_required(Role.PRACTICE_MANAGER)
def index():
    form, filters, valid = filter_form()
    page = max(request.args.get("page", 1, type=int), 1)
    query = services.filtered_events(filters)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    page = min(
        page, max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    )  # a page past the end shows the last
    events = db.session.scalars(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    references = services.references_for({e.case_id for e in events if e.case_id})
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "admin/audit.jinja",
        form=form if not valid else None,
        filter_form=form,
        events=events,
        references=references,
        total=total,
        page=page,
        pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        page_url=lambda n: url_for("audit.index", page=n, **args),
        csv_url=url_for("audit.export", **args),
        xlsx_url=url_for("audit.export_xlsx", **args),
    )


def _value(value) -> str:
    if value is None or value == "":
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def changes_text(changes: dict) -> str:
    """What an event changed as readable text: "field: old → new; other: old → new" (codes and
    ISO dates as stored, so a spreadsheet or a script can still match them)."""
    return "; ".join(
        f"{field}: {_value(old)} → {_value(new)}" for field, (old, new) in sorted(changes.items())
    )


SHEET_COLUMNS = [
    Column("When (UK time)", "moment", 19),
    Column("Person", width=22),
    Column("Person's email", width=28),
    Column("What happened", width=28, show=event_label),
    Column("Case", width=13),
    Column("From stage", width=16, show=Stage.label_of),
    Column("To stage", width=16, show=Stage.label_of),
    Column("Changes", width=60),
    Column("Detail", width=60),
]


def exported_events(file: str):
    """The filtered events and their case references, with the export itself recorded."""
    form, filters, valid = filter_form()
    if not valid:
        return None, None
    events = db.session.scalars(services.filtered_events(filters)).all()
    references = services.references_for({e.case_id for e in events if e.case_id})
    shown = {k: v for k, v in request.args.items() if v}
    changes = {"filters": [None, shown]} if shown else {}
    if file != "csv":
        changes["file"] = [None, file]
    record_event(
        EventKind.AUDIT_EXPORTED,
        current_user,
        changes=changes,
        detail=f"Audit log exported{' as an Excel file' if file == 'xlsx' else ''}: "
        f"{len(events)} event(s)",
    )
    db.session.commit()
    current_app.logger.info("audit log exported (%s) by user %s", file, current_user.id)
    return events, references


def export_name(extension: str) -> str:
    return f"audit-log-{clock.to_london(clock.now_utc()).strftime('%Y-%m-%d')}.{extension}"


@bp.route("/audit.csv")
@roles_required(Role.PRACTICE_MANAGER)
def export():
    events, references = exported_events("csv")
    if events is None:
        return index()
    rows = [
        [
            event.occurred_at.isoformat(),
            clock.to_london(event.occurred_at).strftime("%Y-%m-%d %H:%M:%S"),
            event.actor.name_here if event.actor else "",
            event.actor.email if event.actor else "",
            event.kind,
            references.get(event.case_id, ""),
            event.from_stage or "",
            event.to_stage or "",
            changes_text(event.all_changes),
            event.detail_seen_by(current_user) or "",
        ]
        for event in events
    ]
    return csv_download(export_name("csv"), CSV_COLUMNS, rows)


@bp.route("/audit.xlsx")
@roles_required(Role.PRACTICE_MANAGER)
def export_xlsx():
    events, references = exported_events("xlsx")
    if events is None:
        return index()
    rows = (
        [
            event.occurred_at,
            event.actor.name_here if event.actor else None,
            event.actor.email if event.actor else None,
            event.kind,
            references.get(event.case_id),
            event.from_stage,
            event.to_stage,
            changes_text(event.all_changes) or None,
            event.detail_seen_by(current_user),
        ]
        for event in events
    )
    return xlsx_download(export_name("xlsx"), "Audit log", SHEET_COLUMNS, rows)
