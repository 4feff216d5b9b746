"""The practice manager's mail settings, saved from the settings page; the demo's mail file."""

import re

from sqlalchemy import select

from tests import factories
from tests.helpers import text_of
from tracker.extensions import db
from tracker.outbox.models import OutboxMessage
from tracker.settings.models import load_settings


def test_the_manager_sets_mailboxes_times_and_turns_a_kind_off(mail_on, staff, as_user, app):
    manager = as_user(staff.manager)
    form = factories.settings_form(
        notices_shown="1",
        notices_off=["assigned", "urgent", "daily_summary"],  # the ticked boxes: those on
        duty_doctor_mailbox="duty.doctor@practice.example",
        reception_mailbox="not an address",
        pals_chase_working_days="5",
        daily_summary_time="8.15",
    )
    bad = manager.post("/admin/settings", data=form)
    assert bad.status_code == 200
    page = text_of(bad)
    assert "Enter the reception mailbox in the correct format, like name@nhs.net" in page
    assert 'value="duty.doctor@practice.example"' in bad.get_data(as_text=True)  # kept

    form["reception_mailbox"] = "reception@practice.example"
    assert manager.post("/admin/settings", data=form).status_code == 302
    with app.app_context():
        settings = load_settings()
        assert settings.duty_doctor_mailbox == "duty.doctor@practice.example"
        assert settings.reception_mailbox == "reception@practice.example"
        assert settings.pals_chase_working_days == 5
        assert settings.daily_summary_time == "08:15"
        assert set(settings.turned_off) == {
            "reassigned_away",
            "reopened",
            "acknowledgement_due",
            "outcome_due",
            "pals_no_response",
            "response_due",
            "action_due",
        }
    # A post without the boxes at all (an older form) leaves the kinds as they were.
    manager.post("/admin/settings", data=factories.settings_form())
    with app.app_context():
        assert "outcome_due" in load_settings().turned_off
    gp_page = text_of(as_user(staff.gp).get("/account/notifications"))
    assert "The practice has turned this email off for everyone." in gp_page


def test_demo_mail_is_written_to_a_file_readably(app, staff, log_case, act, monkeypatch, tmp_path):
    mail_file = tmp_path / "demo-mail.txt"
    monkeypatch.setitem(app.config, "MAIL_FILE", str(mail_file))
    reference = log_case()
    act(staff.reception, reference, "assign", {"reviewer": str(staff.other_gp.id)})
    result = app.test_cli_runner().invoke(args=["tracker", "send-mail"])
    assert f"Demo email is written to the file {mail_file}, not sent." in result.output
    assert "1 sent" in result.output
    written = mail_file.read_text()
    assert f"To: {staff.other_gp.email}" in written
    assert f"Subject: Case {reference} is assigned to you" in written
    assert re.search(rf"https://tracker.practice.example/practices/\d+/cases/{reference}", written)
    with app.app_context():
        assert db.session.scalar(select(OutboxMessage.status)) == "sent"


def test_the_settings_page_says_where_mail_goes_and_warns_without_app_base_url(
    mail_on, smtp_server, staff, as_user, app, monkeypatch
):
    manager = as_user(staff.manager)
    page = text_of(manager.get("/admin/settings"))
    assert f"Email goes through 127.0.0.1 port {smtp_server.port} (no encryption)." in page
    assert "APP_BASE_URL is not set" not in page
    monkeypatch.setitem(app.config, "APP_BASE_URL", None)
    assert "APP_BASE_URL is not set, so the links in emails do not work" in text_of(
        manager.get("/admin/settings")
    )
