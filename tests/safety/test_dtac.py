"""The DTAC evidence pack (docs/dtac/) stays true: every column the tracker holds is described
for the DPIA, the security controls name tests `make test` collects, the made documents are
current, and the accessibility and interoperability statements name what the tracker checks
and writes."""

from dataclasses import replace
from pathlib import Path

from sqlalchemy import Column, Integer, MetaData, String, Table

import tracker.models  # noqa: F401 - every table
from tests.browser.test_accessibility import CHECKS
from tests.safety.collected import not_collected
from tracker.extensions import db
from tracker.reports.csv_export import CASE_COLUMNS, IDENTIFIER_COLUMNS, SUMMARY_COLUMNS
from tracker.safety import dtac

ROOT = Path(__file__).resolve().parents[2]
DTAC = ROOT / "docs" / "dtac"


def test_every_column_the_tracker_holds_is_described_once():
    assert dtac.data_problems(dtac.load_data(), db.metadata) == []


def test_a_new_column_or_table_without_a_description_is_found():
    tables = dtac.load_data()
    metadata = MetaData()
    for table in db.metadata.tables.values():
        table.to_metadata(metadata)
    metadata.tables["cases"].append_column(Column("favourite_colour", String(20)))
    Table("case_pets", metadata, Column("id", Integer, primary_key=True))
    found = dtac.data_problems(tables, metadata)
    assert "cases.favourite_colour is not described: personal (with why) or other" in found
    assert "The table case_pets is not described" in found


def test_a_personal_case_field_cannot_be_listed_as_other():
    tables = dtac.load_data()
    cases = next(t for t in tables if t.table == "cases")
    personal = dict(cases.personal)
    del personal["patient_name"]
    moved = replace(cases, personal=personal, other=(*cases.other, "patient_name"))
    found = dtac.data_problems([moved if t is cases else t for t in tables], db.metadata)
    assert "cases.patient_name is personal (case_fields.py) but not listed so" in found


def test_each_security_control_names_tests_that_make_test_collects(request):
    controls = dtac.load_security()
    assert controls and all(control.tests for control in controls)
    missing = not_collected(request.config, {t for c in controls for t in c.tests})
    assert not missing, f"Security controls name tests that are not collected: {missing}"


def test_the_made_documents_are_current():
    stale = [
        str(path.relative_to(ROOT))
        for path, text in dtac.made().items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    ]
    assert not stale, f"Out of date: {stale}. Run `make safety-case` and commit the result."


def test_the_dpia_lists_every_personal_field_with_why():
    dpia = (DTAC / "dpia.md").read_text(encoding="utf-8")
    for table in dtac.load_data():
        for column, why in table.personal.items():
            assert f"| `{column}` | {why} |" in dpia


def test_the_accessibility_statement_names_every_page_checked_and_how():
    statement = (DTAC / "accessibility.md").read_text(encoding="utf-8")
    missing = [check.name for check in CHECKS if f"| {check.name} |" not in statement]
    assert not missing, f"accessibility.md does not list the checks {missing}"
    for fact in ("WCAG 2.2", "1280 px", "390 px", "320 px", "axe-core"):
        assert fact in statement


def test_the_interoperability_statement_gives_every_csv_column():
    statement = (DTAC / "interoperability.md").read_text(encoding="utf-8")
    missing = [
        column
        for column in (*CASE_COLUMNS, *IDENTIFIER_COLUMNS, *SUMMARY_COLUMNS)
        if f"`{column}`" not in statement
    ]
    assert not missing, f"interoperability.md does not give the columns {missing}"


def test_the_readme_links_the_dtac_pack():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/dtac/README.md" in readme
    index = (DTAC / "README.md").read_text(encoding="utf-8")
    for name in ("dpia.md", "security.md", "accessibility.md", "interoperability.md"):
        assert name in index and (DTAC / name).is_file()
