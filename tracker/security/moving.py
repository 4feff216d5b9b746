"""A practice leaving a shared install with its records: one practice's rows written to a file
(`flask tracker backup --practice CODE PATH`), read into an empty install of the same version
(`flask tracker import-practice PATH`), and then removed from the shared install
(`flask tracker remove-practice CODE --export PATH`), audited.

The file is a zip: `manifest.json` (the practice, the schema version, each table's rows and
the sha256 of each table's file) and `tables/<table>.jsonl`, a row a line, its columns by name.
It holds every row of the practice's own tables (cases and everything on them, the timeline,
mail, guidance, letter templates, reference counters, memberships), the practice and its
network, and its staff's accounts with their notification choices, recovery codes and leave.
Staff of other practices named in its records (someone who left, a locum) move as a name
only: no sign-in, no email address. Sessions and sign-in failures do not move.
"""

import base64
import hashlib
import io
import json
import secrets
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Table, delete, func, insert, select, text, update
from werkzeug.security import generate_password_hash

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.audit.models import Event
from tracker.extensions import db
from tracker.practices.models import Practice
from tracker.practices.scope import across_practices
from tracker.staff.models import Membership, User
from tracker.staff.sessions import UserSession

FORMAT = 1
# Not moved: a session or a failed sign-in means nothing in another install; the ICBs and who
# oversees a network are the shared install's, not the practice's; the figures marker is made
# afresh as the practice's cases are written into the new install.
NOT_MOVED = frozenset(
    {"user_sessions", "sign_in_failures", "icbs", "network_roles", "figures_markers"}
)
# A person's own rows, moved with the accounts of the practice's staff.
PERSONS_ROWS = frozenset(
    {"notification_preferences", "recovery_codes", "sign_in_identities", "staff_leave"}
)
BATCH = 500


class MoveProblem(RuntimeError):
    """The practice cannot be exported, imported or removed, with a message for the operator."""


@dataclass(frozen=True)
class Exported:
    path: Path
    practice: str
    counts: dict[str, int]


def _tables() -> list[Table]:
    """Every table in the order rows can be inserted (a row before the rows that point to it)."""
    return [t for t in db.metadata.sorted_tables if t.name not in NOT_MOVED]


def _owned(table: Table) -> bool:
    return "practice_id" in table.c and table.name != "practices"


def _user_columns(table: Table) -> list[str]:
    return [
        column.name
        for column in table.columns
        if any(fk.column.table.name == "users" for fk in column.foreign_keys)
    ]


def _encode(value):
    if isinstance(value, datetime):
        return {"$": "datetime", "v": value.isoformat()}
    if isinstance(value, date):
        return {"$": "date", "v": value.isoformat()}
    if isinstance(value, bytes | memoryview):
        return {"$": "bytes", "v": base64.b64encode(bytes(value)).decode("ascii")}
    return value


def _decode(value):
    if isinstance(value, dict) and set(value) == {"$", "v"}:
        kind = value["$"]
        if kind == "bytes":
            return base64.b64decode(value["v"])
        if kind == "datetime":
            return datetime.fromisoformat(value["v"])
        if kind == "date":
            return date.fromisoformat(value["v"])
    return value


def practice_by_code(ods_code: str) -> Practice:
    with across_practices("moving one practice's records"):
        found = db.session.scalar(select(Practice).where(Practice.ods_code == ods_code))
    if found is None:
        raise MoveProblem(f"No practice in this install has the ODS code {ods_code}.")
    return found


def _schema_version() -> list[str]:
    rows = db.session.execute(text("SELECT version_num FROM alembic_version")).scalars()
    return sorted(rows)


def _rows_of(practice: Practice) -> Iterator[tuple[Table, list[dict]]]:
    """Each table with the practice's rows in it, in insertion order."""
    members = set(  # its own staff: a GP visiting from another practice moves as a name only
        db.session.scalars(
            select(Membership.user_id).where(
                Membership.practice_id == practice.id, Membership.visiting_from_id.is_(None)
            )
        )
    )
    named: set[int] = set()
    found: dict[str, list[dict]] = {}
    for table in _tables():
        if table.name == "users":
            continue
        if table.name == "practices":
            query = select(table).where(table.c.id == practice.id)
        elif table.name == "pcns":  # without its ICB, which stays with the shared install
            query = select(*(c for c in table.c if c.name != "icb_id")).where(
                table.c.id == practice.pcn_id
            )
        elif table.name == "memberships":  # not GPs of other practices visiting as reviewers
            query = select(table).where(
                table.c.practice_id == practice.id, table.c.visiting_from_id.is_(None)
            )
        elif table.name in PERSONS_ROWS:
            query = select(table).where(table.c.user_id.in_(sorted(members) or [0]))
        elif _owned(table):
            query = select(table).where(table.c.practice_id == practice.id)
        else:
            raise MoveProblem(f"The table {table.name} is neither the practice's nor moved")
        rows = [dict(row) for row in db.session.execute(query).mappings()]
        for column in _user_columns(table):
            named.update(row[column] for row in rows if row[column] is not None)
        found[table.name] = rows
    users = db.metadata.tables["users"]
    people = []
    for row in db.session.execute(
        select(users).where(users.c.id.in_(sorted(members | named) or [0])).order_by(users.c.id)
    ).mappings():
        person = dict(row)
        if person["id"] not in members:
            person.update(_named_only(person["id"]))
        people.append(person)
    found["users"] = people
    for table in _tables():
        yield table, found[table.name]


def _named_only(user_id: int) -> dict:
    """What an account of someone who does not work in the practice keeps when it moves: their
    name, for the records they appear in, and no way to sign in."""
    return {
        "email": f"moved-{user_id}@former-staff.invalid",
        "active": False,
        "password_hash": "!",  # matches no password
        "must_change_password": True,
        "totp_secret": None,
        "totp_enabled_at": None,
        "totp_last_step": None,
        "last_signed_in_at": None,
        "job_title": None,
    }


def export_practice(ods_code: str, path: Path) -> Exported:
    """Write the practice's records to path (which must not exist)."""
    if path.exists():
        raise MoveProblem(f"{path} already exists. Choose a new file name.")
    practice = practice_by_code(ods_code)
    counts: dict[str, int] = {}
    digests: dict[str, str] = {}
    with (
        across_practices("exporting one practice's records"),
        zipfile.ZipFile(path, "x", compression=zipfile.ZIP_DEFLATED) as archive,
    ):
        for table, rows in _rows_of(practice):
            body = "".join(
                json.dumps({k: _encode(v) for k, v in row.items()}, sort_keys=True) + "\n"
                for row in rows
            ).encode("utf-8")
            archive.writestr(f"tables/{table.name}.jsonl", body)
            counts[table.name] = len(rows)
            digests[table.name] = hashlib.sha256(body).hexdigest()
        manifest = {
            "format": FORMAT,
            "practice": {"ods_code": practice.ods_code, "name": practice.practice_name},
            "exported_at": clock.now_utc().isoformat(),
            "schema": _schema_version(),
            "tables": counts,
            "sha256": digests,
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, sort_keys=True))
    db.session.rollback()
    return Exported(path, practice.ods_code, counts)


def read_manifest(path: Path) -> dict:
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read("manifest.json"))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as problem:
        raise MoveProblem(f"{path} is not a practice's export ({problem}).") from problem
    if manifest.get("format") != FORMAT:
        raise MoveProblem(f"{path} is an export of format {manifest.get('format')}, not {FORMAT}.")
    return manifest


def _read_rows(archive: zipfile.ZipFile, manifest: dict, table: Table) -> Iterable[dict]:
    body = archive.read(f"tables/{table.name}.jsonl")
    if hashlib.sha256(body).hexdigest() != manifest["sha256"][table.name]:
        raise MoveProblem(f"The export's {table.name} does not match its manifest: damaged?")
    for line in io.BytesIO(body):
        yield {name: _decode(value) for name, value in json.loads(line).items()}


def import_practice(path: Path) -> dict[str, int]:
    """Read a practice's export into this install, which must be empty and of the same version.
    Returns each table's rows. The caller commits."""
    manifest = read_manifest(path)
    if manifest["schema"] != _schema_version():
        raise MoveProblem(
            "The export was made by another version of the tracker "
            f"({', '.join(manifest['schema'])}); upgrade both installs to the same version first."
        )
    with across_practices("importing a practice's records"):
        held = db.session.scalar(select(func.count()).select_from(Practice))
        staff = db.session.scalar(select(func.count()).select_from(User))
        if held or staff:
            raise MoveProblem(
                "This install already holds practices or staff: import a practice into an "
                "empty install (migrated, nothing else)."
            )
        counts = {}
        with zipfile.ZipFile(path) as archive:
            for table in _tables():
                rows = list(_read_rows(archive, manifest, table))
                for start in range(0, len(rows), BATCH):
                    db.session.execute(insert(table), rows[start : start + BATCH])
                counts[table.name] = len(rows)
        if counts != manifest["tables"]:
            raise MoveProblem("The rows read do not match the export's manifest.")
        _sequences_past_the_rows()
    return counts


def _sequences_past_the_rows() -> None:
    """On PostgreSQL, each table's id sequence moved past the ids imported."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in _tables():
        if "id" not in table.c or not table.c.id.autoincrement or len(table.primary_key) != 1:
            continue
        db.session.execute(
            text(
                "SELECT setval(pg_get_serial_sequence(:table, 'id'), "  # noqa: S608 - a table's own name
                f"COALESCE((SELECT max(id) FROM {table.name}), 0) + 1, false) "
                "WHERE pg_get_serial_sequence(:table, 'id') IS NOT NULL"
            ),
            {"table": table.name},
        )


def remove_practice(ods_code: str, export: Path) -> dict[str, int]:
    """Remove the practice's records from this install, once `export` is shown to hold every
    one of them; its staff who work nowhere else are deactivated. Audited as an install event.
    Returns each table's rows removed. The caller commits."""
    practice = practice_by_code(ods_code)
    manifest = read_manifest(export)
    if manifest["practice"]["ods_code"] != ods_code:
        raise MoveProblem(f"{export} is the export of {manifest['practice']['ods_code']}.")
    removed: dict[str, int] = {}
    with across_practices("removing a practice that has left"):
        now_held = {table.name: len(rows) for table, rows in _rows_of(practice)}
        if now_held != manifest["tables"]:
            changed = sorted(n for n in now_held if now_held[n] != manifest["tables"].get(n))
            raise MoveProblem(
                f"The practice's records changed after {export} was made ({', '.join(changed)}): "
                "export it again, then remove it."
            )
        members = set(
            db.session.scalars(
                select(Membership.user_id).where(
                    Membership.practice_id == practice.id, Membership.visiting_from_id.is_(None)
                )
            )
        )
        elsewhere = set(  # a practice they work at; visiting one as a reviewer does not count
            db.session.scalars(
                select(Membership.user_id).where(
                    Membership.user_id.in_(sorted(members) or [0]),
                    Membership.practice_id != practice.id,
                    Membership.visiting_from_id.is_(None),
                )
            )
        )
        # Its GPs' visits to other practices end with it.
        db.session.execute(
            delete(Membership.__table__).where(Membership.visiting_from_id == practice.id)
        )
        leaving = members - elsewhere
        for name in ("user_sessions", "figures_markers"):
            table = db.metadata.tables[name]
            db.session.execute(delete(table).where(table.c.practice_id == practice.id))
        for table in reversed(_tables()):
            if _owned(table):
                done = db.session.execute(delete(table).where(table.c.practice_id == practice.id))
                removed[table.name] = done.rowcount
        db.session.execute(delete(Practice.__table__).where(Practice.id == practice.id))
        removed["practices"] = 1
        if leaving:
            db.session.execute(
                update(User.__table__)
                .where(User.id.in_(sorted(leaving)))
                .values(
                    active=False,
                    deactivated_at=clock.now_utc(),
                    password_hash=generate_password_hash(secrets.token_hex(32)),
                    totp_secret=None,
                    session_version=User.__table__.c.session_version + 1,
                )
            )
            db.session.execute(
                delete(UserSession.__table__).where(UserSession.user_id.in_(sorted(leaving)))
            )
        db.session.execute(
            insert(Event.__table__).values(
                practice_id=None,
                occurred_at=clock.now_utc(),
                actor_id=None,
                case_id=None,
                kind=EventKind.PRACTICE_REMOVED.value,
                detail=(
                    f"Practice {ods_code} ({manifest['practice']['name']}) removed after its "
                    f"export of {manifest['exported_at'][:10]}: {sum(removed.values())} rows; "
                    f"{len(leaving)} staff account(s) deactivated"
                ),
                clinical=False,
            )
        )
    # The practice's network stays: other practices may belong to it.
    return removed
