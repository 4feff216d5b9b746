"""The practice queue's filters and search, my cases, reception's home, and a fixed query count."""

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import event

from tests.helpers import text_of
from tracker.extensions import db
from tracker.staff.models import User

TODAY = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)  # Tuesday


def refs(response, section="practice-queue") -> list[str]:
    html = response.get_data(as_text=True)
    start = html.index(f'id="{section}"')
    ends = [html.find(marker, start + 1) for marker in ("</table>", 'id="my-cases"')]
    end = min([e for e in ends if e != -1], default=len(html))
    return sorted(re.findall(r'href="/cases/(SO-\d{4}-\d{4})"', html[start:end]))


@pytest.fixture
def cases(place_case, staff, frozen_clock):
    """A spread of cases with known stages, reviewers, routes, flags and dates."""
    frozen_clock.now = TODAY
    assigned_at = datetime(2026, 11, 20, 10, tzinfo=UTC)
    return {
        "logged_late": place_case(received_on=date(2026, 11, 19), patient_name="Ann Late", nhs_number="9990000018", nhs_number_unknown=False),
        "logged_today_due": place_case(received_on=date(2026, 11, 20), patient_name="Ben Due", urgent=True, duty_doctor_name="Dr Duty", duty_doctor_told_at=datetime(2026, 11, 20, 10, tzinfo=UTC)),
        "logged_new": place_case(received_on=date(2026, 11, 24), patient_name="Cara New", route_requested="pals", created_at=TODAY),
        "assigned_gp": place_case(stage="assigned", reviewer_id=staff.other_gp.id, first_assigned_at=assigned_at, outcome_clock_from=assigned_at, patient_name="Dev Assigned", formal_complaint=True, acknowledged_on=date(2026, 11, 2)),
        "review_senior": place_case(stage="in_review", reviewer_id=staff.senior.id, route_requested="senior_partner", first_assigned_at=datetime(2026, 11, 3, tzinfo=UTC), outcome_clock_from=datetime(2026, 11, 3, tzinfo=UTC), patient_name="Eve Overdue"),
        "outcome_gp": place_case(stage="outcome_recorded", reviewer_id=staff.other_gp.id, first_assigned_at=assigned_at, outcome_clock_from=assigned_at, outcome_recorded_at=TODAY, patient_name="Fay Outcome"),
        "pals": place_case(stage="referred_to_pals", reviewer_id=staff.manager.id, route_requested="practice_manager", first_assigned_at=assigned_at, patient_name="Gus Pals", formal_complaint=True, received_on=date(2026, 11, 16)),
        "closed": place_case(stage="closed", reviewer_id=staff.other_gp.id, patient_name="Hal Closed", nhs_number="9990000026", nhs_number_unknown=False, closure_reason="withdrawn"),
    }  # fmt: skip


def expect(cases, *names):
    return sorted(cases[name] for name in names)


OPEN = (
    "logged_late",
    "logged_today_due",
    "logged_new",
    "assigned_gp",
    "review_senior",
    "outcome_gp",
    "pals",
)


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("", OPEN),
        ("stage=logged", ("logged_late", "logged_today_due", "logged_new")),
        ("stage=in_review", ("review_senior",)),
        ("stage=closed", ("closed",)),
        ("reviewer={other_gp}", ("assigned_gp", "outcome_gp")),
        ("reviewer=none", ("logged_late", "logged_today_due", "logged_new")),
        ("route=senior_partner", ("review_senior",)),
        ("route=pals", ("logged_new",)),
        ("urgent=1", ("logged_today_due",)),
        ("formal=1", ("assigned_gp", "pals")),
        # Overdue: assignment past 2 days, the outcome past 10 days, the unacknowledged complaint.
        ("overdue=1", ("logged_late", "review_senior", "pals")),
        ("due_today=1", ("logged_today_due",)),
        ("overdue=1&reviewer={senior}", ("review_senior",)),
        # An exact reference or full NHS number goes straight to the case (test_search.py),
        # unless another filter is set.
        ("q=so-2026-0004&stage=assigned", ("assigned_gp",)),
        ("q=SO-2026-4&stage=assigned", ("assigned_gp",)),
        ("q=9990000018&stage=logged", ("logged_late",)),
        ("q=999+000+0018&stage=logged", ("logged_late",)),
        ("q=999 000 0026&stage=closed", ("closed",)),
        ("q=999 000", ("logged_late", "closed")),
        ("q=ann", ("logged_late",)),
        ("q=LATE", ("logged_late",)),
        ("q=hal closed", ("closed",)),
        ("q=nobody", ()),
        ("q=%25", ()),
    ],
)
def test_each_filter_and_search_returns_exactly_the_expected_cases(
    cases, staff, as_user, query, names
):
    url = "/queue?" + query.format(other_gp=staff.other_gp.id, senior=staff.senior.id)
    response = as_user(staff.manager).get(url)
    assert response.status_code == 200
    assert refs(response) == expect(cases, *names)


def test_urgent_overdue_and_due_today_stand_out_with_words(cases, staff, as_user):
    page = text_of(as_user(staff.reception).get("/queue"))
    assert "Ben Due Urgent Due today" in page
    assert "Ann Late 999 000 0018 Overdue" in page


def test_counts_per_stage_cover_every_open_case(cases, staff, as_user):
    page = text_of(as_user(staff.reception).get("/queue"))
    for stage, count in (
        ("Logged", 3),
        ("Assigned", 1),
        ("In review", 1),
        ("Outcome recorded", 1),
        ("Referred to PALS", 1),
    ):
        assert f"{stage}: {count}" in page


def test_a_gps_my_cases_holds_only_their_own_open_cases(cases, staff, as_user):
    response = as_user(staff.other_gp).get("/queue")
    assert refs(response, "my-cases") == expect(cases, "assigned_gp", "outcome_gp")
    assert refs(as_user(staff.senior).get("/queue"), "my-cases") == expect(cases, "review_senior")
    assert 'id="my-cases"' not in as_user(staff.reception).get("/queue").get_data(as_text=True)


def test_my_cases_puts_urgent_then_overdue_first(place_case, staff, as_user, frozen_clock):
    frozen_clock.now = TODAY
    calm = place_case(
        stage="assigned",
        reviewer_id=staff.other_gp.id,
        outcome_clock_from=datetime(2026, 11, 23, tzinfo=UTC),
    )
    late = place_case(
        stage="assigned",
        reviewer_id=staff.other_gp.id,
        outcome_clock_from=datetime(2026, 11, 2, tzinfo=UTC),
    )
    urgent = place_case(
        stage="assigned",
        reviewer_id=staff.other_gp.id,
        urgent=True,
        outcome_clock_from=datetime(2026, 11, 23, tzinfo=UTC),
    )
    html = as_user(staff.other_gp).get("/queue").get_data(as_text=True)
    mine = html[html.index('id="my-cases"') : html.index('id="practice-queue"')]
    assert re.findall(r'href="/cases/(SO-\d{4}-\d{4})"', mine) == [urgent, late, calm]


def test_filters_stay_in_the_url_for_pagination(place_case, staff, as_user, frozen_clock):
    frozen_clock.now = TODAY
    for n in range(30):
        place_case(
            received_on=date(2026, 11, 23), route_requested="pals", patient_name=f"Pat {n:02d}"
        )
    client = as_user(staff.manager)
    first = client.get("/queue?route=pals&sort=name")
    html = first.get_data(as_text=True)
    assert "30 cases, page 1 of 2" in text_of(first)
    assert 'href="/queue?route=pals&amp;sort=name&amp;page=2"' in html
    second = client.get("/queue?route=pals&sort=name&page=2")
    names = re.findall(r"Pat (\d\d)", text_of(second))
    assert names == [f"{n:02d}" for n in range(25, 30)]
    assert 'value="pals" selected' in second.get_data(as_text=True)
    # A link to a page past the last (the cases moved on since) shows the last page.
    past = client.get("/queue?route=pals&sort=name&page=7")
    assert "30 cases, page 2 of 2" in text_of(past)
    assert re.findall(r"Pat (\d\d)", text_of(past)) == names
    assert "No cases match" in text_of(client.get("/queue?route=nobody&page=3"))
    # A page number no database takes as an offset, typed by hand: the last page, not an error.
    huge = client.get("/queue?route=pals&sort=name&page=" + "9" * 30)
    assert huge.status_code == 200 and "30 cases, page 2 of 2" in text_of(huge)


def test_reception_home_shows_todays_requests_and_those_waiting_past_the_target(
    cases, staff, as_user
):
    response = as_user(staff.reception).get("/")
    assert refs(response, "waiting") == expect(cases, "logged_late")
    assert refs(response, "new-today") == expect(cases, "logged_new")
    page = text_of(response)
    assert "Log a request" in page and "Find a case" in page


def count_statements(app, client, url) -> int:
    statements = []
    with app.app_context():
        engine = db.engine

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(statements)


def test_queue_runs_the_same_number_of_statements_for_5_and_200_cases(
    app, place_case, staff, as_user, frozen_clock
):
    frozen_clock.now = TODAY
    client = as_user(staff.manager)
    reviewers = [staff.other_gp.id, staff.senior.id, staff.manager.id]

    def add(count, start):
        for n in range(start, start + count):
            place_case(
                stage="assigned" if n % 2 else "logged",
                reviewer_id=reviewers[n % 3] if n % 2 else None,
                outcome_clock_from=TODAY if n % 2 else None,
                urgent=n % 5 == 0,
                formal_complaint=n % 7 == 0,
            )

    add(5, 0)
    urls = ["/queue", "/queue?overdue=1&sort=name", "/queue?q=Patient", "/"]
    small = {url: count_statements(app, client, url) for url in urls}
    add(195, 5)
    large = {url: count_statements(app, client, url) for url in urls}
    assert small == large
    print("statements per page:", large)
    assert all(count <= 12 for count in large.values()), large


def test_with_a_filter_the_results_come_before_my_cases(cases, staff, as_user):
    client = as_user(staff.other_gp)
    plain = text_of(client.get("/queue"))
    assert plain.index("My cases") < plain.index("Practice queue")
    response = client.get("/queue?stage=closed")
    filtered = text_of(response)
    assert "My cases (" in filtered.split("Practice queue")[0]  # the link to them, at the top
    assert 'href="/queue#my-cases"' in response.get_data(as_text=True)
    # The results are the page: the table of your own cases is one click away, not below them.
    assert "Open cases assigned to you" not in filtered


def test_what_was_typed_is_shown_as_text_in_the_queue_table(
    app, place_case, staff, as_user, frozen_clock
):
    frozen_clock.now = TODAY
    typed = '<script>alert("x")</script> & Sons'
    place_case(received_on=date(2026, 11, 24), patient_name=typed)
    with app.app_context():
        gp = db.session.get(User, staff.other_gp.id)
        gp.full_name = "Dr <b>Bold</b> & Co"
        db.session.commit()
    place_case(
        stage="assigned",
        reviewer_id=staff.other_gp.id,
        first_assigned_at=datetime(2026, 11, 20, 10, tzinfo=UTC),
        outcome_clock_from=datetime(2026, 11, 20, 10, tzinfo=UTC),
        patient_name="Ida Reviewed",
    )
    html = as_user(staff.reception).get("/queue").get_data(as_text=True)
    assert "<script>alert" not in html and "<b>Bold" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Sons" in html
    assert "Dr &lt;b&gt;Bold&lt;/b&gt; &amp; Co" in html
    # Each cell carries its column's heading for narrow screens, hidden from screen readers.
    row = html[html.index('<tr class="nhsuk-table__row">', html.index('id="practice-queue"')) :]
    row = row[: row.index("</tr>")]
    headings = re.findall(
        r'<span class="nhsuk-table-responsive__heading" aria-hidden="true">(\w[\w ]*?) </span>',
        row,
    )
    assert headings == ["Case", "Received", "Stage", "Reviewer", "Next due"]


def test_a_rows_tags_are_read_as_separate_words(place_case, staff, as_user, frozen_clock):
    frozen_clock.now = TODAY
    place_case(
        received_on=date(2026, 11, 19), patient_name="Una Both", urgent=True, formal_complaint=True
    )
    html = as_user(staff.reception).get("/queue").get_data(as_text=True)
    tags = html[html.index("Una Both") :]
    tags = tags[tags.index('<div class="app-queue-tags">') : tags.index("</div>")]
    words = re.findall(r"<strong[^>]*>([^<]+)</strong>", tags)
    assert words == ["Urgent", "Overdue", "Formal complaint"]
    assert tags.count("</strong> <strong") == 2
