"""The shipped guidance: a text for every stage, route and note, in the project's own words."""

import pytest

from tracker.cases.codes import Route
from tracker.cases.workflow import Stage
from tracker.guidance.defaults import DEFAULT_TEXTS
from tracker.guidance.text_format import unsafe_links
from tracker.guidance.topics import TOPICS


def test_every_stage_route_and_note_has_shipped_guidance():
    expected = (
        {"intake"}
        | {f"stage_{stage}" for stage in Stage}
        | {f"route_{route}" for route in Route}
        | {"note_urgent", "note_urgent_told", "note_formal_complaint", "note_representative"}
        | {"note_overdue"}
    )
    assert set(TOPICS) == expected
    assert set(DEFAULT_TEXTS) == expected
    assert all(len(topic) <= 40 for topic in TOPICS)  # the column's width


@pytest.mark.parametrize(
    ("topic", "facts"),
    [
        ("route_discuss_again_own_gp", ["list everything", "relative or friend"]),
        ("intake", ["registered with the whole practice", "duty doctor", "formal complaint"]),
        ("stage_in_review", ["confirm the first one or differ", "let the patient decide"]),
        ("route_pals", ["Patient Advice and Liaison Service", "PALS officer", "service search"]),
        ("route_register_elsewhere", ["last resort", "no promise of a different or better"]),
        ("note_urgent", ["duty doctor", "today"]),
        ("note_urgent_told", ["has been told", "tell the duty doctor again"]),
        (
            "note_formal_complaint",
            [
                "3 working days",
                "NHS Complaints Advocacy",
                "Ombudsman",
                "to the practice or to the integrated care board",
            ],
        ),
        (
            "route_senior_partner",
            [
                "If the senior partner gave the first opinion",
                "cannot review their own advice",
                "record why",
            ],
        ),
        ("route_pals", ["run by NHS organisations", "not an independent body"]),
        (
            "stage_outcome_recorded",
            [
                "formal complaint",
                "to the practice or to the ICB",
                "Parliamentary and Health Service Ombudsman",
                "NHS Complaints Advocacy",
            ],
        ),
        (
            "stage_referred_to_pals",
            ["part of the NHS, not independent of it", "NHS Complaints Advocacy", "Ombudsman"],
        ),
        ("note_representative", ["consent is recorded"]),
    ],
)
def test_the_shipped_guidance_covers_the_leaflets_facts_and_what_staff_need(topic, facts):
    text = " ".join(DEFAULT_TEXTS[topic].replace("**", "").split())
    for fact in facts:
        assert fact in text, (topic, fact)


def test_no_shipped_text_calls_pals_independent_of_the_practice():
    """PALS is run by NHS organisations: outside the practice, not independent of the NHS."""
    for topic, text in DEFAULT_TEXTS.items():
        flat = " ".join(text.split())
        assert "independent of the practice" not in flat, topic
        assert "the independent service" not in flat, topic


def test_shipped_links_are_all_allowed():
    assert [unsafe_links(text) for text in DEFAULT_TEXTS.values() if unsafe_links(text)] == []
