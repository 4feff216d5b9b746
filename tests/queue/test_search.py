"""Search people can trust: names match whatever the case, accents, apostrophes, hyphens and
word order; part of a name or of an NHS number works; an exact reference or a full NHS number
with one case goes straight to it."""

import re

import pytest
from sqlalchemy import select

from tests.helpers import text_of
from tracker.cases.models import Case, CaseNameWord
from tracker.extensions import db

NAMES = {
    "zoe": ("Zoë Åberg", "9990000018"),
    "oneill": ("Siobhan O'Neill-Brown", "9990000026"),
    "margaret": ("Brown, Margaret Anne", "9990000034"),
    "margaret_jones": ("Margaret Jones", "9990000042"),
    "bronwen": ("Bronwen Pryce", None),
}


@pytest.fixture
def people(place_case):
    return {
        key: place_case(patient_name=name, nhs_number=number, nhs_number_unknown=number is None)
        for key, (name, number) in NAMES.items()
    }


def found(client, query) -> list[str]:
    page = client.get("/queue", query_string={"q": query, "sort": "name"})
    assert page.status_code == 200, query
    # The results, after the search box's hint (which shows a reference as an example).
    results = text_of(page).split("Searching also looks at closed cases")[-1]
    return re.findall(r"SO-\d{4}-\d{4}", results)


@pytest.mark.parametrize(
    ("query", "keys"),
    [
        ("Zoë Åberg", ["zoe"]),
        ("Åberg", ["zoe"]),
        ("aberg", ["zoe"]),
        ("ZOE ABERG", ["zoe"]),
        ("zoe", ["zoe"]),
        ("oneill", ["oneill"]),
        ("O'Neill", ["oneill"]),
        ("o’neill", ["oneill"]),  # a typographic apostrophe
        ("O'Neill-Brown", ["oneill"]),
        ("oneill brown", ["oneill"]),
        ("neill-brown siobhan", ["oneill"]),  # a word starts after an apostrophe too
        ("Neill", ["oneill"]),
        ("eill", []),  # but words start where the name's words do
        ("rown", []),
        ("Margaret Brown", ["margaret"]),  # stored "Brown, Margaret Anne"
        ("Brown, Margaret Anne", ["margaret"]),
        ("marg anne", ["margaret"]),  # part of each word
        ("Margaret", ["margaret", "margaret_jones"]),
        ("brown", ["margaret", "oneill"]),
        ("bro", ["bronwen", "margaret", "oneill"]),
        ("Margaret Smith", []),
        ("999 000 00", ["zoe", "oneill", "margaret", "margaret_jones"]),
        ("9990000", ["zoe", "oneill", "margaret", "margaret_jones"]),
        ("999 000 003", ["margaret"]),
        ("%", []),
    ],
)
def test_names_and_nhs_numbers_match_as_people_type_them(people, staff, as_user, query, keys):
    client = as_user(staff.reception)
    assert sorted(found(client, query)) == sorted(people[key] for key in keys)


def test_an_exact_reference_goes_straight_to_the_case(people, staff, as_user):
    client = as_user(staff.reception)
    reference = people["zoe"]
    for typed in (reference, reference.lower(), reference.replace("SO-", "SO").replace("-0", "-")):
        page = client.get("/queue", query_string={"q": typed})
        assert page.status_code == 302, typed
        assert page.headers["Location"].endswith(f"/cases/{reference}")


def test_a_full_nhs_number_with_one_case_goes_straight_to_it(people, staff, as_user, place_case):
    client = as_user(staff.reception)
    page = client.get("/queue", query_string={"q": "999 000 0034"})
    assert page.headers["Location"].endswith(f"/cases/{people['margaret']}")
    # With two cases for the number, the list shows both.
    second = place_case(
        patient_name="Margaret Brown", nhs_number="9990000034", nhs_number_unknown=False
    )
    assert sorted(found(client, "999 000 0034")) == sorted([people["margaret"], second])
    # An unknown number lists nothing rather than failing.
    assert found(client, "999 000 0050") == []


def test_a_corrected_name_is_found_by_its_new_words_only(people, staff, act, as_user, app):
    from tests import factories

    reference = people["bronwen"]
    with app.app_context():
        case = db.session.scalars(select(Case).where(Case.reference == reference)).one()
        assert sorted(
            db.session.scalars(select(CaseNameWord.word).where(CaseNameWord.case_id == case.id))
        ) == ["bronwen", "pryce"]
    form = {
        key: value
        for key, value in factories.intake_form(
            patient_name="Bronwen Price-Jones",
            nhs_number="",
            nhs_number_unknown="y",
            original_gp=str(staff.gp.id),
            **{
                "date_of_birth[day]": "1",
                "date_of_birth[month]": "1",
                "date_of_birth[year]": "1980",
            },
            **{"received_on[day]": "2", "received_on[month]": "11", "received_on[year]": "2026"},
            channel="letter",
            concern="Concern",
            reason="Spelt wrongly",
        ).items()
        if key not in ("phone", "email", "preferred_contact")
    }
    assert act(staff.manager, reference, "correct", form).status_code == 302
    client = as_user(staff.reception)
    assert found(client, "pryce") == []
    assert found(client, "price jones") == [reference]
    assert found(client, "pricejones") == [reference]


def test_the_retention_purge_removes_a_names_words_with_the_name(app, staff, place_case):
    from datetime import UTC, datetime

    from tracker.security.retention import purge_expired

    reference = place_case(
        patient_name="Olive Oldcase",
        stage="closed",
        closure_reason="withdrawn",
        closed_at=datetime(2010, 1, 4, 10, tzinfo=UTC),
    )
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.reference == reference))
        words = select(CaseNameWord.word).where(CaseNameWord.case_id == case_id)
        assert sorted(db.session.scalars(words)) == ["oldcase", "olive"]
        purge_expired(dry_run=False)
        db.session.commit()
        assert db.session.scalar(select(Case.patient_name).where(Case.id == case_id)) == "[removed]"
        assert list(db.session.scalars(words)) == []
