"""Someone who works in two practices: one account, the practice they are working in named on
every page, a switcher to change it, and a case's emailed link that opens it in its own practice.
Someone who works in one practice sees none of this, and nothing of the other practice."""

import re

import pytest
from sqlalchemy import select

from tests import factories
from tests.helpers import form_values, set_practice, sign_in, text_of, value_of
from tracker.audit.models import Event
from tracker.extensions import db
from tracker.practices.scope import across_practices, in_practice
from tracker.practices.services import create_practice
from tracker.staff.models import Membership, User
from tracker.staff.services import add_membership


@pytest.fixture
def two_practices(app, staff, log_case):
    """Riverside (the staff's practice, one case) and Hillside, where Dr Omar Second also
    works as a GP (one case of its own, numbered from one too)."""
    ours = log_case(patient_name="Ada Riverside")
    with app.app_context():
        riverside = set_practice(ods_code="a81001", practice_name="Riverside Surgery")
        hillside = create_practice(ods_code="B82002", name="Hillside Surgery", pcn_name="North PCN")
        add_membership(db.session.get(User, staff.other_gp.id), practice_id=hillside.id, role="gp")
        db.session.commit()
        with in_practice(hillside.id):
            theirs = factories.create_case(
                original_gp_id=None, created_by_id=staff.manager.id, patient_name="Hal Hillside"
            )
        return riverside.id, hillside.id, ours, theirs


def header(page) -> str:
    found = re.search(r"<header.*?</header>", page.get_data(as_text=True), re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(0)).split())


def test_a_gp_of_two_practices_changes_practice_and_sees_only_that_practices_cases(
    app, staff, two_practices
):
    riverside, hillside, ours, theirs = two_practices
    assert ours == theirs == "SO-2026-0001"  # each practice numbers its own
    gp = app.test_client()
    assert sign_in(gp, staff.other_gp.email, staff.other_gp.password).status_code == 302
    home = gp.get("/")
    assert "Change practice" in header(home)
    assert "Hillside Surgery" in header(home)  # the first of theirs by name

    choose = gp.get("/practice")
    assert "Riverside Surgery (A81001)" in text_of(choose)
    moved = gp.post(
        "/practice",
        data=form_values(choose.get_data(as_text=True), "csrf_token")
        | {"practice": str(riverside)},
    )
    assert moved.status_code == 302
    queue = gp.get("/queue")
    assert "Riverside Surgery" in header(queue)
    assert "Ada Riverside" in text_of(queue) and "Hal Hillside" not in text_of(queue)
    assert "Ada Riverside" in text_of(gp.get(f"/cases/{ours}"))

    # The emailed link to Hillside's case opens it in Hillside.
    opened = gp.get(f"/practices/{hillside}/cases/{theirs}")
    assert opened.headers["Location"] == f"/cases/{theirs}"
    case = gp.get(f"/cases/{theirs}")
    assert "Hal Hillside" in text_of(case) and "Hillside Surgery" in header(case)
    assert "Ada Riverside" not in text_of(gp.get("/queue"))

    # A later sign-in starts where they were last working.
    again = app.test_client()
    sign_in(again, staff.other_gp.email, staff.other_gp.password)
    assert "Hillside Surgery" in header(again.get("/"))
    with app.app_context(), across_practices("this test"):
        moves = db.session.scalars(
            select(Event.practice_id).where(Event.kind == "practice_changed")
        ).all()
    assert sorted(moves) == sorted([hillside, riverside, riverside, hillside])


def test_someone_in_one_practice_has_no_switcher_and_never_reaches_the_other(
    app, staff, as_user, two_practices
):
    riverside, hillside, ours, theirs = two_practices
    reception = as_user(staff.reception)
    home = reception.get("/")
    assert "Riverside Surgery" in header(home) and "Change practice" not in header(home)
    assert reception.get(f"/practices/{hillside}/cases/{theirs}").status_code == 404
    choose = reception.get("/practice")
    refused = reception.post(
        "/practice",
        data=form_values(choose.get_data(as_text=True), "csrf_token") | {"practice": str(hillside)},
    )
    assert refused.status_code == 200 and "Not a valid choice" in text_of(refused)
    case = reception.get(f"/cases/{ours}")
    assert "Ada Riverside" in text_of(case) and "Hal Hillside" not in text_of(case)
    assert "Hal Hillside" not in text_of(reception.get("/queue?q=hal"))


def cli(app, *args, password=None):
    return app.test_cli_runner().invoke(
        args=["tracker", *args], input=f"{password}\n" if password else None
    )


def test_the_command_line_adds_practices_and_a_role_in_each_for_one_account(app, client):
    made = cli(app, "create-practice", "--ods", "A81001", "--name", "Riverside Surgery")
    assert made.exit_code == 0 and "Created Riverside Surgery (A81001)" in made.output
    second = cli(
        app,
        "create-practice",
        "--ods",
        "b82002",
        "--name",
        "Hillside Surgery",
        "--pcn",
        "North PCN",
    )
    assert "Created Hillside Surgery (B82002) in North PCN" in second.output
    again = cli(app, "create-practice", "--ods", "B82002", "--name", "Another")
    assert again.exit_code != 0 and "already here" in again.output
    bad = cli(app, "create-practice", "--ods", "A8-1", "--name", "Bad")
    assert bad.exit_code != 0 and "Enter an ODS code" in bad.output

    user = ["create-user", "--email", "locum@pcn.example", "--name", "Dr Lo Cum", "--role", "gp"]
    unsaid = cli(app, *user, "--password-stdin", password="a long enough password")
    assert unsaid.exit_code != 0 and "say which with --practice" in unsaid.output
    first = cli(
        app, *user, "--practice", "A81001", "--password-stdin", password="a long enough password"
    )
    assert first.exit_code == 0, first.output
    also = cli(app, *user, "--practice", "B82002", "--senior-partner")
    assert "now also works in Hillside Surgery as GP, senior partner" in also.output
    twice = cli(app, *user, "--practice", "B82002")
    assert twice.exit_code != 0 and "already works in this practice" in twice.output
    unknown = cli(app, *user, "--practice", "Z99999")
    assert unknown.exit_code != 0 and "add it first with create-practice" in unknown.output

    assert sign_in(client, "locum@pcn.example", "a long enough password").status_code == 302
    with app.app_context(), across_practices("this test"):
        roles = db.session.execute(
            select(Membership.practice_id, Membership.role, Membership.is_senior_partner)
            .join(User)
            .where(User.email == "locum@pcn.example")
            .order_by(Membership.practice_id)
        ).all()
    assert [(role, senior) for _, role, senior in roles] == [("gp", False), ("gp", True)]

    # The install administrator's list: networks, practices and counts, no patient's details.
    listed = cli(app, "practices")
    assert listed.exit_code == 0, listed.output
    lines = [line.strip() for line in listed.output.splitlines()]
    assert "North PCN" in lines
    assert "B82002     Hillside Surgery: 1 staff, 0 cases" in lines
    assert lines.index("North PCN") < lines.index("B82002     Hillside Surgery: 1 staff, 0 cases")


def test_a_practice_cannot_take_another_practices_ods_code(app, staff, as_user, two_practices):
    manager = as_user(staff.manager)
    form = factories.settings_form(
        practice_name="Riverside Surgery", idle_sign_out_minutes="15", retention_years="10"
    )
    refused = manager.post("/admin/settings", data=form | {"ods_code": "b82002"})
    assert refused.status_code == 200
    assert "Another practice on this tracker has the ODS code B82002" in text_of(refused)
    assert "There is a problem" in text_of(refused)
    kept = manager.post("/admin/settings", data=form | {"ods_code": "A81001"})
    assert kept.status_code == 302


def test_someone_of_two_practices_leaves_one_and_goes_on_in_the_other(
    app, staff, two_practices, act, as_user, load_case
):
    riverside, hillside, ours, _ = two_practices
    act(staff.manager, ours, "assign", {"reviewer": str(staff.other_gp.id)})
    gp = app.test_client()
    assert sign_in(gp, staff.other_gp.email, staff.other_gp.password).status_code == 302
    set_practice_of(gp, riverside)
    assert "Ada Riverside" in text_of(gp.get(f"/cases/{ours}"))

    manager = as_user(staff.manager)
    account = text_of(manager.get(f"/admin/users/{staff.other_gp.id}"))
    assert "also works in another practice" in account and "Remove from this practice" in account
    url = f"/admin/users/{staff.other_gp.id}/deactivate"
    page = manager.get(url)
    assert "Remove Dr Omar Second from this practice" in text_of(page)
    assert ours in text_of(page)
    done = manager.post(
        url,
        data={
            "shown": value_of(page.get_data(as_text=True), "shown"),
            "mode": "all",
            "everyone": str(staff.senior.id),
            "reason": "Moved to Hillside full time",
        },
        follow_redirects=True,
    )
    assert "Dr Omar Second no longer works in this practice" in text_of(done)
    with in_practice(riverside):
        assert load_case(ours).reviewer_id == staff.senior.id
    with app.app_context(), across_practices("this test"):
        user = db.session.get(User, staff.other_gp.id)
        assert user.active
        where = db.session.scalars(
            select(Membership.practice_id).where(Membership.user_id == user.id)
        ).all()
        assert where == [hillside]
        left = db.session.scalars(
            select(Event).where(Event.kind == "left_practice", Event.practice_id == riverside)
        ).one()
        assert "no longer works in this practice; 1 open case(s) handed on" in left.full_detail
    # Their session working in Riverside has ended; they sign in again, to Hillside alone.
    assert gp.get(f"/cases/{ours}").status_code == 302
    assert sign_in(gp, staff.other_gp.email, staff.other_gp.password).status_code == 302
    home = gp.get("/")
    assert "Hillside Surgery" in header(home) and "Change practice" not in header(home)
    assert gp.get(f"/practices/{riverside}/cases/{ours}").status_code == 404
    assert "Dr Omar Second" not in text_of(manager.get("/admin/users"))


def set_practice_of(client, practice_id):
    choose = client.get("/practice")
    moved = client.post(
        "/practice",
        data=form_values(choose.get_data(as_text=True), "csrf_token")
        | {"practice": str(practice_id)},
    )
    assert moved.status_code == 302
