"""Every action x every role x every stage: allowed exactly where the SPEC's table allows it.

The expectations below are written out from the SPEC, not read from the workflow table,
so a wrong entry in the table makes this fail.
"""

import io
from datetime import UTC, date, datetime

import pytest

from tests.helpers import inputs_named
from tracker.audit.models import Event
from tracker.cases.models import Case
from tracker.cases.workflow import Action
from tracker.extensions import db

OPEN = {"logged", "assigned", "in_review", "outcome_recorded", "referred_to_pals"}
ALL = OPEN | {"closed"}

# (action) -> party -> stages where it is allowed.
EXPECTED = {
    "assign": {
        "practice_manager": {"logged", "assigned", "in_review"},
        "reception": {"logged"},
        "assignee": {"assigned", "in_review"},
    },
    "acknowledge": {"practice_manager": OPEN, "reception": OPEN},
    "start-review": {"practice_manager": {"assigned"}, "assignee": {"assigned"}},
    "record-outcome": {
        "practice_manager": {"assigned", "in_review"},
        "assignee": {"assigned", "in_review"},
    },
    "refer-to-pals": {
        party: OPEN - {"referred_to_pals"}
        for party in ("practice_manager", "assignee", "reception")
    },
    "record-pals-response": {"practice_manager": {"referred_to_pals"}},
    "close": {"practice_manager": OPEN, "reception": {"logged"}, "assignee": {"outcome_recorded"}},
    "reopen": {"practice_manager": {"closed"}},
    "add-note": {party: ALL for party in ("practice_manager", "reception", "gp", "assignee")},
    "record-contact": {party: ALL for party in ("practice_manager", "reception", "gp", "assignee")},
    "add-document": {party: ALL for party in ("practice_manager", "reception", "gp", "assignee")},
    "remove-document": {"practice_manager": ALL},  # offered once the case has a document
    "update-contact": {party: OPEN for party in ("practice_manager", "reception", "assignee")},
    "correct": {"practice_manager": OPEN, "reception": {"logged", "assigned"}},
    "hand-on": {},  # only once the reviewer has left: tests/staff/test_leavers.py
    "record-duty-doctor": {party: OPEN for party in ("practice_manager", "reception", "gp")},
    "send-letter": {party: OPEN for party in ("practice_manager", "reception", "assignee")},
    "record-aspects": {"practice_manager": ALL},  # a formal complaint's KO41(b) aspects
    "record-complaint-plan": {"practice_manager": OPEN},
    "prepare-final-response": {"practice_manager": OPEN},
    "record-significant-event": {party: ALL for party in ("practice_manager", "gp", "assignee")},
}
assert {a.value.replace("_", "-") for a in Action} == set(EXPECTED)

# Closure reasons open to each party where the table lets them close: the practice manager any;
# reception (a logged case) only returned to own GP or withdrawn; the assignee (outcome recorded)
# only resolved in the practice, and only once the patient is satisfied. The Close button shows
# only when at least one reason is open.
EVERY_CLOSURE_REASON = {
    "resolved_in_practice",
    "resolved_after_pals",
    "returned_to_own_gp",
    "registered_elsewhere",
    "withdrawn",
    "no_contact",
}
CLOSURE_REASONS = {
    "practice_manager": EVERY_CLOSURE_REASON,
    "reception": {"returned_to_own_gp", "withdrawn"},
    "assignee": {"resolved_in_practice"},  # with the patient satisfied, as in matrix_case
}

PARTIES = ("reception", "gp", "assignee", "practice_manager")
STAGES = ("logged", "assigned", "in_review", "outcome_recorded", "referred_to_pals", "closed")

# A plausible submission for each action, so a refused POST is refused for who and when, not for bad data.
POSTS = {
    "assign": {"reviewer": "{senior}", "reason": "Cover"},
    "acknowledge": {
        "acknowledged_on[day]": "3",
        "acknowledged_on[month]": "11",
        "acknowledged_on[year]": "2026",
        "method": "letter",
    },
    "start-review": {"review_type": "notes"},
    "record-outcome": {
        "outcome": "withdrawn",
        "outcome_summary": "x",
        "patient_response": "not_known",
    },
    "refer-to-pals": {
        "referred_on[day]": "1",
        "referred_on[month]": "11",
        "referred_on[year]": "2026",
        "referred_by": "patient",
        "pals_service": "PALS",
    },
    "record-pals-response": {
        "response_on[day]": "1",
        "response_on[month]": "11",
        "response_on[year]": "2026",
        "summary": "x",
    },
    "close": {"closure_reason": "withdrawn", "complaint_finding": "not_upheld"},
    "reopen": {"reason": "x", "reviewer": "{senior}"},
    "add-note": {"text": "x"},
    "record-contact": {"method": "phone", "direction": "out", "note": "x", "callback": "no"},
    "add-document": {"file": (b"%PDF-1.4\n%%EOF\n", "scan.pdf"), "description": "Letter"},
    "remove-document": {"document": "1", "reason": "Wrong patient"},
    "update-contact": {"preferred_contact": "letter"},
    "correct": {"patient_name": "Corrected Name", "reason": "Mistyped"},
    "hand-on": {"reviewer": "{senior}", "reason": "Left"},
    "record-duty-doctor": {"duty_doctor": "Dr Duty", "told_at": "09:00"},
    "send-letter": {"letter": "pals", "sent_method": "post"},
    "record-aspects": {"subject_1": "communications", "staff_1": "gp"},
    "record-complaint-plan": {
        "discussion_offer": "no_reply",
        "complaint_issues": "x",
        "outcome_wanted": "x",
        "response_due_on[day]": "1",
        "response_due_on[month]": "12",
        "response_due_on[year]": "2026",
    },
    "prepare-final-response": {"considered": "x", "actions": "x", "lessons": "x"},
    "record-significant-event": {"significant_event": "yes", "candour_applies": "undecided"},
}


def matrix_case(place_case, staff, stage: str, **fields) -> str:
    """A formal complaint, not yet acknowledged, as it stands at this stage; from "assigned" on,
    Dr Omar Second reviews it (and at "outcome_recorded" the patient is satisfied)."""
    at = datetime(2026, 11, 3, 10, tzinfo=UTC)
    assigned = {
        "reviewer_id": staff.other_gp.id,
        "first_assigned_at": at,
        "assigned_at": at,
        "outcome_clock_from": at,
    }
    by_stage = {
        "logged": {},
        "assigned": assigned,
        "in_review": {**assigned, "review_started_at": at, "review_of_notes": True},
        "outcome_recorded": {
            **assigned,
            "outcome": "withdrawn",
            "outcome_summary": "x",
            "patient_response": "satisfied",
            "outcome_recorded_at": at,
        },
        "referred_to_pals": {
            **assigned,
            "pals_referred_on": date(2026, 11, 3),
            "pals_referred_by": "patient",
            "pals_service": "PALS",
        },
        "closed": {
            **assigned,
            "closed_at": at,
            "closure_reason": "withdrawn",
            "complaint_finding": "not_upheld",
        },
    }
    return place_case(
        stage=stage, nhs_number="9990000026", nhs_number_unknown=False, patient_name="Matrix Patient",
        date_of_birth=date(1970, 1, 1), phone="01632 960002", preferred_contact="phone",
        received_on=date(2026, 11, 2), channel="in_person", concern="Matrix",
        already_discussed_with_own_gp=True, formal_complaint=True, urgent=True,
        **{**by_stage[stage], **fields},
    )  # fmt: skip


def state_of(app, reference):
    with app.app_context():
        case = db.session.query(Case).filter_by(reference=reference).one()
        events = db.session.query(Event).filter_by(case_id=case.id).count()
        return (case.stage, case.version, case.reviewer_id, case.preferred_contact, events)


def allowed_on_the_matrix_case(action: str, party: str, stage: str) -> bool:
    """Whether the SPEC lets this party take this action on the matrix case at this stage."""
    parties = EXPECTED[action]
    allowed = stage in parties.get(party, set()) or (
        party == "assignee" and stage in parties.get("gp", set())
    )
    if action == "close":
        allowed = allowed and bool(CLOSURE_REASONS.get(party))
    if action == "remove-document":
        allowed = False  # the matrix case has no document to remove
    return allowed


# A logged case has no assignee yet, so that pair does not exist.
PAIRS = [
    (party, stage)
    for party in PARTIES
    for stage in STAGES
    if (party, stage) != ("assignee", "logged")
]


@pytest.mark.parametrize(("party", "stage"), PAIRS)
def test_each_action_is_allowed_exactly_where_the_spec_says(
    app, staff, as_user, place_case, stage, party
):
    reference = matrix_case(place_case, staff, stage)
    user = {
        "reception": staff.reception,
        "gp": staff.gp,
        "assignee": staff.other_gp,
        "practice_manager": staff.manager,
    }[party]
    client = as_user(user)
    before = state_of(app, reference)
    wrong = []
    for action in EXPECTED:
        allowed = allowed_on_the_matrix_case(action, party, stage)
        page = client.get(f"/cases/{reference}/{action}")
        if (page.status_code == 200) != allowed:
            wrong.append(
                f"GET {action}: {page.status_code}, expected {'200' if allowed else '403'}"
            )
        if action == "close" and page.status_code == 200:
            html = page.get_data(as_text=True)
            offered = {attrs.get("value") for attrs in inputs_named(html, "closure_reason")}
            if offered != CLOSURE_REASONS.get(party, set()):
                wrong.append(f"GET close: offers {sorted(offered)}")
        if not allowed:
            if page.status_code == 403 and "Nothing was changed" not in page.get_data(as_text=True):
                wrong.append(f"GET {action}: refusal page lacks its explanation")
            data = {
                key: value.format(senior=staff.senior.id)
                if isinstance(value, str)
                else (io.BytesIO(value[0]), value[1])  # a file: (content, name)
                for key, value in POSTS[action].items()
            }
            data["version"] = str(before[1])
            posted = client.post(f"/cases/{reference}/{action}", data=data)
            if posted.status_code != 403:
                wrong.append(f"POST {action}: {posted.status_code}, expected 403")
    assert wrong == []
    assert state_of(app, reference) == before
    case_page = client.get(f"/cases/{reference}").get_data(as_text=True)
    for action in EXPECTED:
        allowed = allowed_on_the_matrix_case(action, party, stage)
        assert (f'/cases/{reference}/{action}"' in case_page) == allowed, action


@pytest.mark.parametrize(
    ("patient_response", "assignee_sees_close"),
    [("satisfied", True), ("still_concerned", False), ("not_known", False)],
)
def test_the_assignee_sees_close_only_once_the_patient_is_satisfied(
    staff, as_user, place_case, patient_response, assignee_sees_close
):
    """At "outcome recorded" the table lets the assignee close, but their one reason, resolved in
    the practice, needs a satisfied patient; the practice manager may give any reason."""
    reference = matrix_case(
        place_case, staff, "outcome_recorded", patient_response=patient_response
    )
    button = f'/cases/{reference}/close"'
    assignee_page = as_user(staff.other_gp).get(f"/cases/{reference}").get_data(as_text=True)
    manager_page = as_user(staff.manager).get(f"/cases/{reference}").get_data(as_text=True)
    assert (button in assignee_page) == assignee_sees_close
    assert button in manager_page
    # The assignee still has the other buttons of the stage, so the page itself is theirs.
    assert f'/cases/{reference}/refer-to-pals"' in assignee_page
