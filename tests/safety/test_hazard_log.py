"""The clinical hazard log (docs/safety/hazards.yaml) stays true: every hazard the safety case
must cover is there with controls, every test a control names is one `make test` collects,
and the documents made from the log are what it makes now."""

from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.safety.collected import not_collected
from tracker.safety import documents
from tracker.safety.hazards import (
    MATRIX,
    SEVERITIES,
    Assessment,
    Control,
    HazardLog,
    load,
    problems,
    risk,
)

ROOT = Path(__file__).resolve().parents[2]
LOG = load()

# The hazards the safety case must cover, whatever else is added.
REQUIRED = {
    "urgent-concern": "an urgent concern not acted on the same day",
    "clinical-material-shown": "a clinical note, document or letter shown to the wrong person",
    "same-gp-reviews": "the reviewer being the GP who gave the first opinion",
    "wrong-patient": "the wrong patient (mistyped or reused NHS number, duplicates)",
    "deadline-missed": "a statutory deadline missed",
    "email-identifiers": "an email carrying identifiers",
    "letter-wrong-person": "a letter to the wrong address or person",
    "work-lost": "work lost to a concurrent edit or a database outage",
    "leaver-orphans": "a leaver's cases orphaned",
    "practice-wall": "one practice seeing another's records",
    "retention-wrong": "records purged too early or kept too long",
    "sign-in-taken-over": "a sign-in taken over",
}


def test_every_hazard_the_safety_case_must_cover_is_in_the_log():
    missing = {key: what for key, what in REQUIRED.items() if key not in LOG.by_key()}
    assert not missing, f"The hazard log lacks: {missing}"


def test_the_log_is_fit_to_hand_over():
    assert problems(LOG) == []


def test_a_hazard_without_a_control_or_a_control_without_a_test_is_found():
    first = LOG.hazards[0]
    untested = replace(first, controls=(Control("Told in words only", ()),))
    uncontrolled = replace(LOG.hazards[1], controls=())
    raised = replace(LOG.hazards[2], after=Assessment("Catastrophic", "Very high"))
    found = problems(replace(LOG, hazards=(untested, uncontrolled, raised, *LOG.hazards[3:])))
    assert f"{first.name}: the control 'Told in words only' names no test" in found
    assert f"{LOG.hazards[1].name}: no control" in found
    assert any(p.startswith(LOG.hazards[2].name) and "raise the risk" in p for p in found)


def test_the_risk_matrix_is_the_standards():
    assert risk("Minor", "Very low") == 1
    assert risk("Catastrophic", "Very high") == 5
    assert risk("Major", "Medium") == 3
    assert risk("Considerable", "Low") == 2
    assert [risk(s, "High") for s in SEVERITIES] == list(MATRIX["High"])


@pytest.mark.parametrize("hazard", LOG.hazards, ids=[f"{h.id}-{h.key}" for h in LOG.hazards])
def test_each_control_names_tests_that_make_test_collects(request, hazard):
    named = {test for control in hazard.controls for test in control.tests}
    missing = not_collected(request.config, named)
    assert not missing, (
        f"Hazard {hazard.name}: its controls name tests that `make test` does not collect "
        f"(renamed or removed?): {missing}"
    )


def test_the_documents_are_what_the_log_makes_now():
    stale = [
        str(path.relative_to(ROOT))
        for path, text in documents.made(LOG).items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    ]
    assert not stale, f"Out of date: {stale}. Run `make safety-case` and commit the result."


def test_the_pdf_report_is_made_from_this_log():
    text = " ".join(page.extract_text() for page in PdfReader(documents.REPORT_PDF).pages)
    flat = " ".join(text.split())
    assert LOG.digest[:16] in flat, "The PDF is older than the log: run `make safety-case`"
    for hazard in LOG.hazards:
        assert hazard.id in flat
    assert "Clinical Safety Officer" in flat


def test_the_readme_links_the_safety_case():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in (documents.HAZARD_LOG_MD, documents.REPORT_MD, documents.REPORT_PDF):
        assert str(path.relative_to(ROOT)) in readme


def test_the_report_can_be_made_from_a_log_of_one_hazard(tmp_path):
    """The report is made from whatever the log holds (not from text written once)."""
    one = HazardLog(
        system=LOG.system,
        version="0.0",
        intended_use=LOG.intended_use,
        scope=LOG.scope,
        out_of_scope=LOG.out_of_scope,
        hazards=LOG.hazards[:1],
        digest="0" * 64,
    )
    report = documents.report_markdown(one)
    assert LOG.hazards[0].title in report
    assert all(h.title not in report for h in LOG.hazards[1:])


def test_a_test_renamed_or_removed_is_found(request):
    named = [
        "tests/queue/test_urgent.py::test_the_time_told_is_checked",
        "tests/queue/test_urgent.py::test_the_time_told_is_checked_renamed",
        "tests/no_such_file.py::test_anything",
    ]
    assert set(not_collected(request.config, named)) == set(named[1:])
