"""The clinical hazard log (docs/safety/hazards.yaml) stays true: every hazard the safety case
must cover is there with controls, every test a control names is one `make test` collects,
and the documents made from the log are what it makes now."""

import functools
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import COLLECTED
from tracker.safety import documents
from tracker.safety.hazards import (
    MATRIX,
    SEVERITIES,
    Assessment,
    Control,
    HazardLog,
    is_collected,
    load,
    named_tests,
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


@functools.cache
def _collected_elsewhere(files: frozenset[str]) -> frozenset[str]:
    """The node ids pytest collects from these files, in a collection of its own (for a run
    that did not collect them itself), made once a run."""
    done = subprocess.run(  # noqa: S603 - pytest on the log's own test files
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]
        + sorted(files),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return frozenset(line.strip() for line in done.stdout.splitlines() if "::" in line)


def _known(collected: set[str]) -> set[str]:
    """What this run collected, and what pytest collects from the files the log names that
    this run did not collect (a run of a few test files)."""
    files = {test.split("::")[0] for test in named_tests(LOG)}
    absent = frozenset(
        f
        for f in files
        if (ROOT / f).is_file() and not any(node.startswith(f + "::") for node in collected)
    )
    return collected | (_collected_elsewhere(absent) if absent else set())


@pytest.mark.parametrize("hazard", LOG.hazards, ids=[f"{h.id}-{h.key}" for h in LOG.hazards])
def test_each_control_names_tests_that_make_test_collects(request, hazard):
    known = _known(request.config.stash.get(COLLECTED, set()))
    named = {test for control in hazard.controls for test in control.tests}
    missing = sorted(test for test in named if not is_collected(test, known))
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
