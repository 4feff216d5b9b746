""" "New for you" in the header and on the home page; the mail worker's loop and its clean
stop on SIGTERM."""

import os
import re
import signal
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.helpers import text_of
from tracker.cases.news import NewsItem
from tracker.mail.worker import run_worker
from tracker.main.news_list import news_list

ROOT = Path(__file__).resolve().parents[2]


def test_new_for_you_counts_changes_others_made_to_your_cases_until_you_clear_it(
    staff, log_case, act, as_user, frozen_clock
):
    reference = log_case()
    gp = as_user(staff.other_gp)
    assert "New for you: 0" in text_of(gp.get("/"))

    act(staff.reception, reference, "assign", {"reviewer": str(staff.other_gp.id)})
    home = text_of(gp.get("/"))
    assert "New for you: 2" in home  # logged and assigned, both by reception
    assert f"{reference} : Reviewer assigned (Logged to Assigned), by Rita Reception" in home

    frozen_clock.advance(minutes=5)
    cleared = text_of(gp.post("/news/seen", follow_redirects=True))
    assert "New for you: 0" in cleared
    assert "Nothing has changed on your cases since you last cleared this list" in cleared

    frozen_clock.advance(minutes=5)
    act(staff.other_gp, reference, "add-note", {"text": "My own note"})
    assert "New for you: 0" in text_of(gp.get("/"))  # their own change is not news
    act(staff.manager, reference, "add-note", {"text": "Manager's note"})
    home = text_of(gp.get("/"))
    assert "New for you: 1" in home and "Note added" in home and "Mo Manager" in home


def test_the_list_escapes_the_names_staff_typed_and_links_each_case(app):
    moment = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
    items = [
        NewsItem("SO-2026-7", "note_added", None, None, moment, "<b>Eve</b> & co"),
        NewsItem("SO-2026-8", "assigned", "logged", "assigned", moment, None),
    ]
    with app.test_request_context("/"):
        html = str(news_list(items))
    assert "<b>" not in html and "&lt;b&gt;Eve&lt;/b&gt; &amp; co" in html
    assert '<a href="/cases/SO-2026-7">SO-2026-7</a>: Note added, by' in html
    assert "Reviewer assigned (Logged to Assigned), by the tracker" in html
    assert '<time datetime="2026-11-24T09:30:00+00:00">24 November 2026, 09:30</time>' in html


def test_a_note_is_news_on_its_case_without_moving_the_cases_version(
    app, staff, log_case, act, as_user, frozen_clock
):
    from tracker.cases.models import Case
    from tracker.extensions import db

    def case_now(reference):
        with app.app_context():
            case = db.session.query(Case).filter_by(reference=reference).one()
            return case.version, case.last_change_at

    reference = log_case()
    act(staff.reception, reference, "assign", {"reviewer": str(staff.other_gp.id)})
    gp = as_user(staff.other_gp)
    frozen_clock.advance(minutes=5)
    gp.post("/news/seen")
    version, _ = case_now(reference)

    frozen_clock.advance(minutes=10)
    act(staff.manager, reference, "add-note", {"text": "Rang the patient back"})
    # A note changes none of the case's fields: a form opened before it is still current.
    assert case_now(reference) == (version, frozen_clock.now)
    home = text_of(gp.get("/"))
    assert "New for you: 1" in home and "Note added" in home

    frozen_clock.advance(minutes=5)
    gp.get(f"/cases/{reference}")  # a view is not news
    assert case_now(reference) == (version, frozen_clock.now - timedelta(minutes=5))


def test_in_production_the_count_is_kept_a_few_seconds_and_clearing_shows_at_once(
    app, staff, log_case, act, as_user, frozen_clock, monkeypatch
):
    from tracker import extensions
    from tracker.cases import news

    monkeypatch.setitem(app.config, "NEWS_COUNT_KEPT_SECONDS", 5.0)
    monkeypatch.delitem(app.extensions, news._COUNTS, raising=False)
    now = [500.0]
    monkeypatch.setattr(extensions.time, "monotonic", lambda: now[0])
    reference = log_case()
    gp = as_user(staff.other_gp)
    assert "New for you: 0" in text_of(gp.get("/queue"))
    act(staff.reception, reference, "assign", {"reviewer": str(staff.other_gp.id)})
    now[0] += 2
    assert "New for you: 0" in text_of(gp.get("/queue"))  # kept: counted 2 seconds ago
    now[0] += 4
    assert "New for you: 2" in text_of(gp.get("/queue"))
    frozen_clock.advance(minutes=5)
    assert "New for you: 0" in text_of(gp.post("/news/seen", follow_redirects=True))


def test_the_worker_sends_due_mail_on_each_pass_and_stops_when_asked(
    mail_on, app, staff, log_case, act, place_case, frozen_clock
):
    frozen_clock.now = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)  # before the summary time
    given = datetime(2026, 11, 2, 10, tzinfo=UTC)  # an older case of theirs, overdue by now
    place_case(
        stage="assigned",
        reviewer_id=staff.other_gp.id,
        first_assigned_at=given,
        assigned_at=given,
        outcome_clock_from=given,
    )
    reference = log_case()
    act(staff.reception, reference, "assign", {"reviewer": str(staff.other_gp.id)})
    with app.app_context():
        assert run_worker(threading.Event(), interval=1, max_passes=1) == 1
    assert [mail.subject for mail in mail_on.received] == [f"Case {reference} is assigned to you"]

    frozen_clock.now = datetime(2026, 11, 24, 7, 30, tzinfo=UTC)  # the summary time
    with app.app_context():
        run_worker(threading.Event(), interval=1, max_passes=1)
        run_worker(threading.Event(), interval=1, max_passes=1)
    subjects = [mail.subject for mail in mail_on.received[1:]]
    assert subjects.count("Your second opinion cases for 24 November 2026") == 1  # once a day

    stop = threading.Event()
    stop.set()
    with app.app_context():
        assert run_worker(stop, interval=300) == 0  # asked to stop: no pass, no wait


def test_the_mail_worker_command_stops_cleanly_on_sigterm(database_url, app, tmp_path):
    env = {
        **os.environ,
        "TRACKER_ENV": "test",
        "TEST_DATABASE_URL": database_url,
        "PYTHONUNBUFFERED": "1",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "flask",
            "--app",
            "wsgi",
            "tracker",
            "mail-worker",
            "--interval",
            "300",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        first = worker.stdout.readline()
        assert "Mail worker started" in first, first
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    # Without its handler SIGTERM would kill it (return code -15); with it, it finishes the
    # pass it is in (or none, if the signal came first), leaves its wait at once and exits 0.
    assert worker.returncode == 0, output
    assert re.search(r"Mail worker stopped after [01] passes\.", output), output
