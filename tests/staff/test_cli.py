"""Operator commands: create-user and seed-demo."""

from sqlalchemy import select

from tests.helpers import sign_in, text_of
from tracker.demo import (
    DEMO_PASSWORD,
    DEMO_PCN,
    DEMO_STAFF,
    HILLSIDE,
    HILLSIDE_STAFF,
    NETWORK_STAFF,
    RIVERSIDE,
    SHARED_GP,
)
from tracker.extensions import db
from tracker.practices.models import Pcn
from tracker.practices.scope import in_practice
from tracker.practices.services import find_practice
from tracker.staff.models import User


def test_create_user_reads_the_password_from_stdin(app, client):
    result = app.test_cli_runner().invoke(
        args=[
            "tracker",
            "create-user",
            "--email",
            "pm@practice.example",
            "--name",
            "Pat Manager",
            "--role",
            "practice_manager",
            "--password-stdin",
        ],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created Practice manager account for Pat Manager" in result.output
    assert (
        sign_in(client, "pm@practice.example", "a long enough password").headers["Location"]
        == "/account/password"
    )


def test_create_user_refuses_a_short_password_and_a_duplicate(app):
    runner = app.test_cli_runner()
    args = [
        "tracker",
        "create-user",
        "--email",
        "gp@practice.example",
        "--name",
        "Dr Gee",
        "--role",
        "gp",
        "--senior-partner",
        "--password-stdin",
    ]
    short = runner.invoke(args=args, input="short\n")
    assert short.exit_code != 0 and "12 characters or more" in short.output
    assert runner.invoke(args=args, input="a long enough password\n").exit_code == 0
    again = runner.invoke(args=args, input="a long enough password\n")
    assert again.exit_code != 0 and "already exists" in again.output
    with app.app_context():
        assert db.session.query(User).filter_by(email="gp@practice.example").one().is_senior_partner


def test_create_user_prompts_for_the_password(app):
    result = app.test_cli_runner().invoke(
        args=[
            "tracker",
            "create-user",
            "--email",
            "r@practice.example",
            "--name",
            "R",
            "--role",
            "reception",
        ],
        input="typed at the prompt\ntyped at the prompt\n",
    )
    assert result.exit_code == 0, result.output


def test_seed_demo_adds_staff_once_and_they_sign_in_straight_away(app, client):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["tracker", "seed-demo"]).exit_code == 0
    assert runner.invoke(args=["tracker", "seed-demo"]).exit_code == 0
    with app.app_context():
        assert (
            db.session.query(User).count()
            == len(DEMO_STAFF) + len(HILLSIDE_STAFF) + len(NETWORK_STAFF)
            == 10
        )
        # Two practices in one network; Dr Amira Shah is a GP in both, and Dr Tom Baker of
        # Hillside reviews a Riverside case.
        for demo, roles in (
            (RIVERSIDE, ["gp", "gp", "gp", "practice_manager", "reception", "visiting_gp"]),
            (HILLSIDE, ["gp", "gp", "practice_manager", "reception"]),
        ):
            practice = find_practice(demo.ods_code)
            assert practice.practice_name == demo.name
            assert db.session.get(Pcn, practice.pcn_id).name == DEMO_PCN
            with in_practice(practice.id):
                users = db.session.scalars(
                    select(User)
                    .where(User.membership.has())
                    .execution_options(populate_existing=True)
                ).all()
                assert sorted(u.role for u in users) == roles
                assert sum(u.is_senior_partner for u in users) == 1
                assert SHARED_GP in {u.email for u in users}
    for email, *_ in DEMO_STAFF + HILLSIDE_STAFF:
        response = sign_in(client, email, DEMO_PASSWORD)
        assert response.headers["Location"] == "/"
        assert "Demo data." in text_of(client.get("/"))
        client.post("/logout")
    for email, *_ in NETWORK_STAFF:  # the PCN's and the ICB's managers: figures alone
        assert sign_in(client, email, DEMO_PASSWORD).headers["Location"] == "/"
        figures = client.get("/", follow_redirects=True)
        assert "Riverside Medical Practice (demo)" in text_of(figures)
        assert "Hillside Surgery (demo)" in text_of(figures)
        client.post("/logout")
    printed = app.test_cli_runner().invoke(args=["tracker", "demo-sign-ins"]).output
    assert "Riverside and Hillside (a GP of both)" in printed
    assert "PCN manager" in printed and "ICB manager" in printed
    assert "manager@demo.hillside.example" in printed


def test_seed_demo_if_empty_leaves_a_real_practice_alone(app, make_user):
    make_user("practice_manager")
    result = app.test_cli_runner().invoke(args=["tracker", "seed-demo", "--if-empty"])
    assert "demo data not added" in result.output
    with app.app_context():
        assert db.session.query(User).count() == 1


def test_no_demo_banner_without_demo_accounts(login_as, client):
    login_as("gp")
    assert "Demo data." not in text_of(client.get("/"))


def test_seed_demo_adds_sixty_cases_across_every_stage_route_and_outcome(app, client):
    from tracker.audit.models import Event
    from tracker.cases.codes import Outcome, Route
    from tracker.cases.models import Case
    from tracker.cases.workflow import Stage

    result = app.test_cli_runner().invoke(args=["tracker", "seed-demo"])
    assert "10 staff and 75 cases added" in result.output, result.output
    with app.app_context(), in_practice(find_practice(RIVERSIDE.ods_code).id):
        cases = db.session.query(Case).all()
        assert len(cases) == 60
        assert {c.stage for c in cases} == set(Stage)
        assert {c.route_requested for c in cases} == set(Route)
        assert {c.outcome for c in cases if c.outcome} == set(Outcome)
        assert all(c.nhs_number is None or c.nhs_number.startswith("999") for c in cases)
        assert all(c.stage != "closed" or c.closure_reason for c in cases)
        for case in cases:
            kinds = [
                e.kind
                for e in db.session.query(Event).filter_by(case_id=case.id).order_by(Event.id)
            ]
            assert kinds[0] == "case_logged"
            minimum = {
                "logged": 1,
                "assigned": 2,
                "in_review": 3,
                "outcome_recorded": 3,
                "referred_to_pals": 3,
            }
            assert len(kinds) >= minimum.get(case.stage, 2)
            assert kinds[-1] != "closed" or case.stage == "closed"
            assert case.original_gp_id != case.reviewer_id
    again = app.test_cli_runner().invoke(args=["tracker", "seed-demo"])
    assert "0 staff and 0 cases added" in again.output
