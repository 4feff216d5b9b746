"""The DTAC evidence pack's made parts (docs/dtac/): the DPIA draft from the data the tracker
actually holds (docs/dtac/data.yaml, every column of every table) and the security controls
with the tests that prove them (docs/dtac/security.yaml). `make safety-case` writes them with
the safety case; tests/safety/test_dtac.py fails when a column is not described or a document
is out of date."""

from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import MetaData

from tracker.cases.case_fields import CASE_FIELDS
from tracker.config import PROJECT_ROOT

DTAC_DIR = PROJECT_ROOT / "docs" / "dtac"
DATA = DTAC_DIR / "data.yaml"
SECURITY = DTAC_DIR / "security.yaml"
DPIA_MD = DTAC_DIR / "dpia.md"
SECURITY_MD = DTAC_DIR / "security.md"
MADE_BY = "Made by `make safety-case` from `docs/dtac/{source}`: edit the YAML, not this file."


@dataclass(frozen=True)
class TableData:
    table: str
    holds: str
    who_sees: str
    kept: str
    goes_to: str
    personal: dict[str, str]
    other: tuple[str, ...]


@dataclass(frozen=True)
class SecurityControl:
    area: str
    control: str
    tests: tuple[str, ...]


def load_data(path: Path = DATA) -> list[TableData]:
    found = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        TableData(
            table=entry["table"],
            holds=entry["holds"],
            who_sees=entry["who_sees"],
            kept=entry["kept"],
            goes_to=entry["goes_to"],
            personal=dict(entry.get("personal") or {}),
            other=tuple(entry.get("other") or ()),
        )
        for entry in found["tables"]
    ]


def load_security(path: Path = SECURITY) -> list[SecurityControl]:
    found = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        SecurityControl(entry["area"], entry["control"], tuple(entry["tests"]))
        for entry in found["controls"]
    ]


def data_problems(tables: list[TableData], metadata: MetaData) -> list[str]:
    """Where the data inventory and the tables the tracker holds disagree; empty when every
    column of every table is described once."""
    problems = []
    described = {table.table: table for table in tables}
    for name in sorted(set(metadata.tables) - set(described)):
        problems.append(f"The table {name} is not described")
    for name in sorted(set(described) - set(metadata.tables)):
        problems.append(f"{name} is described but the tracker has no such table")
    for name, table in sorted(described.items()):
        if name not in metadata.tables:
            continue
        columns = {column.name for column in metadata.tables[name].columns}
        listed = [*table.personal, *table.other]
        for column in sorted({c for c in listed if listed.count(c) > 1}):
            problems.append(f"{name}.{column} is listed more than once")
        for column in sorted(columns - set(listed)):
            problems.append(f"{name}.{column} is not described: personal (with why) or other")
        for column in sorted(set(listed) - columns):
            problems.append(f"{name}.{column} is described but there is no such column")
        for column, why in table.personal.items():
            if not str(why or "").strip():
                problems.append(f"{name}.{column} is personal but says not why it is held")
    cases = described.get("cases")
    if cases is not None:
        for field in CASE_FIELDS:
            if field.personal and field.name not in cases.personal:
                problems.append(
                    f"cases.{field.name} is personal (case_fields.py) but not listed so"
                )
    return problems


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def dpia_markdown(tables: list[TableData]) -> str:
    personal_count = sum(len(table.personal) for table in tables)
    lines = [
        "# Data protection impact assessment (draft)",
        "",
        MADE_BY.format(source="data.yaml"),
        "",
        "A draft for the deploying organisation (the data controller, usually the GP practice) "
        "to complete with its Data Protection Officer. The tables below are every table and "
        "column the tracker holds: a test fails when a column is added without being described "
        "here.",
        "",
        "## The processing",
        "",
        "- **What for.** Handling a patient's request for a second opinion at their GP practice, "
        "from logging it to its outcome, any PALS referral and any formal complaint, and "
        "reporting on it each month.",
        "- **Whose data.** Patients who ask for a second opinion, people acting for them, and "
        "the practice's staff.",
        "- **Special category data.** Yes: the patient's concern, notes, documents and the "
        "outcome are about their health.",
        "- **Lawful basis (for the controller to confirm).** UK GDPR article 6(1)(e), a task "
        "in the public interest (NHS services), and article 9(2)(h), the provision of health "
        "care; the NHS complaints regulations for formal complaints.",
        "- **Where it is held.** Only in the database and file storage of the install that "
        "hosts the tracker, and in that install's backups. The tracker sends no data to any "
        "other service: its emails carry no patient identifiers, and it fetches nothing from "
        "elsewhere.",
        "- **Patients' rights.** The practice manager exports every record held for an NHS "
        "number as a zip (subject access); corrections are made on the case, with the old and "
        "new values kept on its timeline; the retention purge removes personal data when the "
        "practice's retention period has passed.",
        f"- **Personal fields.** {personal_count} columns across {len(tables)} tables; each is "
        "listed below with why it is held.",
        "",
        "## What is held, table by table",
        "",
    ]
    for table in tables:
        lines += [
            f"### `{table.table}`",
            "",
            table.holds,
            "",
            f"- **Who sees it:** {table.who_sees}",
            f"- **How long it is kept:** {table.kept}",
            f"- **Where it goes:** {table.goes_to}",
            "",
        ]
        if table.personal:
            lines += ["| Personal field | Why it is held |", "|---|---|"]
            lines += [f"| `{c}` | {_cell(why)} |" for c, why in table.personal.items()]
            lines.append("")
        else:
            lines += ["No personal field.", ""]
        lines += ["Other fields: " + ", ".join(f"`{c}`" for c in table.other) + ".", ""]
    lines += [
        "## Risks and how they are controlled",
        "",
        "Each risk to patients' data is a hazard of the clinical hazard log "
        "(`docs/safety/hazard-log.md`), with its controls and the tests that prove them: H02 "
        "(clinical material shown to the wrong person), H06 (identifiers in email), H07 "
        "(letters to the wrong person), H10 (one practice seeing another's records), H11 "
        "(records kept too long or purged too early) and H12 (sign-in taken over). The "
        "technical controls are listed in `docs/dtac/security.md`.",
        "",
        "## Sign-off (completed by the deploying organisation)",
        "",
        "| | |",
        "|---|---|",
        "| Data controller | |",
        "| Data Protection Officer | |",
        "| Caldicott Guardian | |",
        "| Date | |",
        "",
    ]
    return "\n".join(lines).rstrip() + "\n"


def security_markdown(controls: list[SecurityControl]) -> str:
    lines = [
        "# Technical security controls",
        "",
        MADE_BY.format(source="security.yaml"),
        "",
        "Each control with the automated tests that prove it, run on SQLite and PostgreSQL by "
        "`make test`; the suite fails when a test named here is renamed or removed.",
        "",
        "| Area | Control | Proved by |",
        "|---|---|---|",
    ]
    for control in controls:
        tests = "<br>".join(f"`{test}`" for test in control.tests)
        lines.append(f"| {control.area} | {_cell(control.control)} | {tests} |")
    return "\n".join(lines) + "\n"


def made() -> dict[Path, str]:
    return {
        DPIA_MD: dpia_markdown(load_data()),
        SECURITY_MD: security_markdown(load_security()),
    }
