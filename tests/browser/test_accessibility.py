"""axe-core (WCAG 2.2 A and AA rules) on every kind of page, and a check that every page the
app registers is on the list, so a new page without an accessibility check fails the suite."""

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import render_template
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlalchemy import select

from tests.attachments.files import png
from tests.browser.conftest import DEMO_PASSWORD, EMAILS
from tracker import clock
from tracker.cases.models import Case
from tracker.cases.workflow import Action, Stage
from tracker.extensions import db
from tracker.practices.models import Icb
from tracker.reports.figures import Month
from tracker.staff.models import Membership, User

pytestmark = pytest.mark.browser

AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"],
    },
    "resultTypes": ["violations"],
}

# GET endpoints that are not pages: files, downloads and the JSON health check.
NOT_PAGES = {
    "static": "the tracker's own CSS and JavaScript",
    "assets.nhsuk": "the NHS.UK frontend's CSS, JavaScript and images",
    "main.healthz": "JSON for load balancers",
    "reports.monthly_csv": "a CSV download",
    "audit.export": "a CSV download",
    "reports.monthly_xlsx": "an Excel download",
    "audit.export_xlsx": "an Excel download",
    "cases.download_document": "a document on a case, always a download",
    "letters.draft_pdf": "a PDF download",
    "letters.download": "a PDF download",
    "letters.sample_pdf": "a PDF",
    "practice.case_in": "a case's link naming its practice: it moves there and opens the case",
    "network.show_csv": "a CSV download",
    "reports.complaints_csv": "a CSV download",
    "reports.complaints_xlsx": "an Excel download",
    "reports.learning_pdf": "a PDF download",
    "reports.learning_xlsx": "an Excel download",
    "network.show_xlsx": "an Excel download",
    # Signing in at a provider: none is offered here; tests/browser/test_provider_sign_in.py
    # checks the pages they answer with (the sign-in page's buttons, a refusal, a provider down).
    "provider_sign_in.start": "sends the browser to the provider",
    "provider_sign_in.back": "signs the person in and sends them on, or says why not",
    "provider_sign_in.sign_out_there": "sends the browser to the provider to sign out",
    "provider_sign_in.key_set": "JSON: the app's public keys",
}


@dataclass(frozen=True)
class Check:
    name: str
    role: str | None  # None: signed out
    path: str  # may name {stage:...} or {action:...} placeholders filled from the database
    submit_empty: bool = False
    answers_error: bool = False  # the page is an answer of 400 or more, by design


CHECKS = [
    Check("sign-in", None, "/login"),
    Check("sign-in-with-errors", None, "/login", submit_empty=True),
    Check("home-reception", "reception", "/"),
    Check("home-gp", "gp", "/"),
    Check("home-manager", "manager", "/"),
    Check("queue", "manager", "/queue"),
    Check("queue-filtered", "manager", "/queue?stage=assigned&overdue=1&sort=name"),
    Check("queue-search", "reception", "/queue?q=smith"),
    Check("intake", "reception", "/cases/new"),
    Check("intake-with-errors", "reception", "/cases/new", submit_empty=True),
    *[
        Check(f"case-{stage.value}", "manager", f"/cases/{{stage:{stage.value}}}")
        for stage in Stage
    ],
    Check("case-as-reception", "reception", "/cases/{stage:outcome_recorded}"),
    *[
        Check(f"action-{action.value}", "manager", f"/cases/{{action:{action.value}}}")
        for action in Action
    ],
    Check("action-with-errors", "manager", "/cases/{action:record_outcome}", submit_empty=True),
    Check(
        "record-contact-with-errors",
        "manager",
        "/cases/{action:record_contact}",
        submit_empty=True,
    ),
    Check("correct-with-errors", "manager", "/cases/{action:correct}", submit_empty=True),
    Check("add-document-with-errors", "manager", "/cases/{action:add_document}", submit_empty=True),
    Check("change-password", "gp", "/account/password"),
    Check("sign-out", "gp", "/logout"),
    Check("reports-monthly", "manager", "/reports/monthly"),
    Check("reports-complaints", "manager", "/reports/complaints"),
    Check("reports-learning", "manager", "/reports/learning"),
    Check("staff", "manager", "/admin/users"),
    Check("staff-new", "manager", "/admin/users/new"),
    Check("staff-new-with-errors", "manager", "/admin/users/new", submit_empty=True),
    Check("staff-edit", "manager", "/admin/users/{user:gp}"),
    Check("staff-deactivate", "manager", "/admin/users/{user:gp}/deactivate"),
    Check("settings", "manager", "/admin/settings"),
    Check("mail", "manager", "/admin/mail"),
    Check("notifications", "gp", "/account/notifications"),
    Check("change-practice", "shared_gp", "/practice"),
    Check("improvement-actions", "manager", "/actions?show=all"),
    Check("improvement-new", "manager", "/actions/new/{stage:logged}"),
    Check(
        "improvement-new-with-errors", "manager", "/actions/new/{stage:logged}", submit_empty=True
    ),
    Check("improvement-action", "gp", "/actions/{improvement}"),
    Check("network-pcn", "pcn_manager", "/network/"),
    Check("network-icb", "icb_manager", "/network/icb/{network:icb}?month={month:last}"),
    Check("leave", "gp", "/account/leave"),
    Check("leave-with-errors", "gp", "/account/leave", submit_empty=True),
    Check("leave-for-someone", "manager", "/admin/users/{user:gp}/leave"),
    Check("guidance", "manager", "/admin/guidance"),
    Check("guidance-edit", "manager", "/admin/guidance/intake"),
    Check("letters", "manager", "/admin/letters"),
    Check("letters-edit", "manager", "/admin/letters/acknowledgement"),
    Check(
        "letter-print-view",
        "reception",
        "/cases/{stage:referred_to_pals}/letters/print?letter=pals",
    ),
    Check(
        "letter-cannot-be-made",
        "reception",
        "/cases/{stage:logged}/letters/print?letter=outcome",
        answers_error=True,  # 409, saying why the letter cannot be made yet
    ),
    Check("audit", "manager", "/admin/audit"),
    Check("storage", "manager", "/admin/storage"),
    Check("subject-access", "manager", "/admin/subject-access"),
    Check("two-factor", "gp", "/account/two-factor"),
    Check("sessions", "gp", "/account/sessions"),
    Check("error-403", "gp", "/admin/users"),
    Check("error-404", "gp", "/no-such-page"),
    Check("error-400", "manager", "/reports/monthly.csv?month=nonsense&kind=cases"),
]
# Pages reached only part-way through a flow, checked in their own tests below.
FLOW_PAGES = {"security.sign_in_code": "test_sign_in_code_page", "auth.logout": "sign-out"}


def fill(path: str, app) -> str:
    """Replace placeholders with a real case, an action page or a person."""
    from tracker.cases.actions import check_can_take
    from tracker.cases.errors import NotAllowed

    if "{" not in path:
        return path
    with app.app_context():
        if "{stage:" in path:
            stage = path.split("{stage:")[1].split("}")[0]
            reference = db.session.scalar(
                select(Case.reference).where(Case.stage == stage).order_by(Case.id)
            )
            return path.replace(f"{{stage:{stage}}}", reference)
        if "{action:" in path:
            action = Action(path.split("{action:")[1].split("}")[0])
            if action == Action.HAND_ON:
                leave_one_case_with_a_leaver()
            manager = db.session.scalar(select(User).where(User.email == EMAILS["manager"]))
            reception = db.session.scalar(select(User).where(User.email == EMAILS["reception"]))
            for case in db.session.scalars(select(Case).order_by(Case.id)):
                for person in (manager, reception):
                    try:
                        check_can_take(case, action, person)
                    except NotAllowed:
                        continue
                    return path.replace(
                        f"{{action:{action.value}}}",
                        f"{case.reference}/{action.value.replace('_', '-')}",
                    )
            raise AssertionError(f"no demo case allows {action}")
        if "{improvement}" in path:
            return path.replace("{improvement}", str(an_improvement_action()))
        if "{network:icb}" in path:
            icb = db.session.scalar(select(Icb.id).order_by(Icb.id))
            last = Month.containing(clock.today_london()).back(1)
            return path.replace("{network:icb}", str(icb)).replace("{month:last}", str(last))
        if "{user:" in path:
            user_id = db.session.scalar(select(User.id).where(User.email == EMAILS["gp"]))
            return path.replace("{user:gp}", str(user_id))
    return path


def an_improvement_action() -> int:
    """Demo data has no improvement action; add one, owned by the demo GP, with progress."""
    from datetime import date

    from tracker.cases.improvement import ImprovementAction, ImprovementNote

    found = db.session.scalar(select(ImprovementAction.id).order_by(ImprovementAction.id))
    if found is not None:
        return found
    gp = db.session.scalar(select(User.id).where(User.email == EMAILS["gp"]))
    case = db.session.scalar(select(Case.id).order_by(Case.id))
    action = ImprovementAction(
        case_id=case,
        description="Add a knee examination prompt to the minor illness template",
        owner_id=gp,
        due_on=date(2030, 1, 31),
        created_by_id=gp,
    )
    db.session.add(action)
    db.session.flush()
    db.session.add(ImprovementNote(action_id=action.id, author_id=gp, text="Drafted the prompt"))
    db.session.commit()
    return action.id


def leave_one_case_with_a_leaver() -> None:
    """Demo data has no reviewer who has left; give one assigned case such a reviewer."""
    if db.session.scalar(select(User.id).where(User.email == "leaver@practice.example")):
        return
    leaver = User(email="leaver@practice.example", full_name="Dr Lee Leaver", active=False)
    leaver.set_password("a leaver's password")
    db.session.add(leaver)
    db.session.flush()
    db.session.add(Membership(user_id=leaver.id, role="gp"))
    case = db.session.scalars(
        select(Case).where(Case.stage == "assigned").order_by(Case.id.desc())
    ).first()
    case.reviewer_id = leaver.id
    db.session.commit()


def endpoint_of(app, path: str) -> str:
    adapter = app.url_map.bind("localhost")
    return adapter.match(path.split("?")[0], method="GET")[0]


def test_every_page_the_app_registers_has_an_accessibility_check(live_server):
    app = live_server.app
    pages = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and rule.endpoint not in NOT_PAGES
    }
    checked = set(FLOW_PAGES)
    for check in CHECKS:
        if check.name == "error-404":
            continue  # matches no page, by design
        checked.add(endpoint_of(app, fill(check.path, app)))
    assert pages - checked == set(), "pages without an axe check"


def run_axe(page) -> list[str]:
    results = Axe().run(page, options=AXE_OPTIONS)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


class Problems:
    """What the browser reports while a page is used: console errors, failed requests and
    answers of 400 or more (an error page's own answer is expected and left out)."""

    def __init__(self, page, expected_status: bool):
        self.found: list[str] = []
        self.expected_status = expected_status
        page.on("console", self.console)
        page.on("pageerror", lambda error: self.found.append(f"script error: {error}"))
        page.on("requestfailed", lambda r: self.found.append(f"failed: {r.url} {r.failure}"))
        page.on("response", self.response)

    def console(self, message):
        if message.type != "error":
            return
        if self.expected_status and "Failed to load resource" in message.text:
            return  # the error page's own 4xx, reported again by the console
        self.found.append(f"console: {message.text}")

    def response(self, response):
        if response.status >= 400 and not (
            self.expected_status and response.request.is_navigation_request()
        ):
            self.found.append(f"{response.status}: {response.url}")


def sideways_scroll(page) -> str | None:
    """None when the page fits the window's width (given two seconds for the header's script to
    fold its menu after a resize); otherwise how wide it is and what sticks out."""
    try:
        page.wait_for_function(
            "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth",
            timeout=2000,
        )
        return None
    except PlaywrightTimeout:
        pass
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= width) return null;
            const wide = [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > width + 1)
                .slice(0, 5)
                .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                    + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ')[0] : '')
                    + ' ' + Math.round(e.getBoundingClientRect().right) + 'px');
            return `page ${document.documentElement.scrollWidth}px wide in ${width}px: ${wide.join(', ')}`;
        }"""
    )


@pytest.mark.parametrize("check", CHECKS, ids=[c.name for c in CHECKS])
def test_page_has_no_axe_violations(live_server, signed_in, browser, check):
    """Each page on a desktop, then at 390 px (a phone) and 320 px (a small phone, or a window
    zoomed to 400%): no axe violation, no sideways scrolling, nothing in the console."""
    if check.role is None:
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    else:
        page = signed_in(check.role)
    problems = Problems(
        page, expected_status=check.name.startswith("error-") or check.answers_error
    )
    path = fill(check.path, live_server.app)
    page.goto(live_server.url + path)
    if check.submit_empty:
        page.locator("main form[method=post] button[type=submit]").last.click()
        page.wait_for_load_state()
        assert page.locator(".nhsuk-error-summary").count() == 1, page.url
    assert run_axe(page) == []
    on_narrow_screens(page)
    assert problems.found == []
    page.context.close()


def on_narrow_screens(page) -> None:
    """The page at 390 px (a phone) and 320 px (a small phone, or a window zoomed to 400%)."""
    for width in (390, 320):
        page.set_viewport_size({"width": width, "height": 800})
        assert sideways_scroll(page) is None, f"at {width} px"
        assert run_axe(page) == [], f"at {width} px"


def test_a_document_added_in_the_browser_is_listed_on_an_accessible_case_page(
    live_server, signed_in
):
    """The NHS.UK file upload component takes the file; the case lists it with a link that
    downloads it; both pages pass axe."""
    page = signed_in("manager")
    path = fill("/cases/{action:add_document}", live_server.app)
    reference = path.split("/")[2]
    page.goto(live_server.url + path)
    upload = page.locator(".nhsuk-file-upload")
    assert upload.count() == 1
    # The component's button takes the label, and the error summary's link (#file) lands on it.
    choose = page.get_by_role("button", name=re.compile(r"^Document"))
    assert choose.count() == 1 and choose.get_attribute("id") == "file"
    page.set_input_files("input[name=file]", files=[{
        "name": "letter-from-patient.png", "mimeType": "image/png", "buffer": png(),
    }])  # fmt: skip
    assert "letter-from-patient.png" in upload.inner_text()
    assert run_axe(page) == []
    page.fill("#description", "Photo of the patient's letter")
    page.locator("main form[method=post] button[type=submit]").last.click()
    page.wait_for_url(f"**/cases/{reference}")
    row = page.locator(".app-document", has_text="Photo of the patient's letter")
    assert row.count() == 1 and "PNG image" in row.inner_text()
    with page.expect_download() as downloaded:
        row.get_by_role("link", name="Download").click()
    assert downloaded.value.suggested_filename == "letter-from-patient.png"
    assert Path(downloaded.value.path()).read_bytes() == png()
    assert run_axe(page) == []
    page.context.close()


def test_a_gp_of_another_practice_reviewing_a_case_sees_accessible_pages(live_server, signed_in):
    """Dr Tom Baker of Hillside opens the Riverside case given to him from its emailed link,
    then his home page there: both pass axe on a desktop and a phone."""
    page = signed_in("visiting_gp")
    problems = Problems(page, expected_status=False)
    with live_server.app.app_context():
        baker = db.session.scalar(select(User.id).where(User.email == EMAILS["visiting_gp"]))
        case = db.session.scalars(select(Case).where(Case.reviewer_id == baker)).one()
        link = f"/practices/{case.practice_id}/cases/{case.reference}"
    page.goto(live_server.url + link)
    assert case.reference in page.title()
    assert run_axe(page) == []
    on_narrow_screens(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/")
    assert "Second opinions for Riverside" in page.locator("h1").inner_text()
    assert run_axe(page) == []
    on_narrow_screens(page)
    assert problems.found == []
    page.context.close()


def test_sign_in_code_page(live_server, browser):
    page = browser.new_context().new_page()
    problems = Problems(page, expected_status=False)
    page.goto(live_server.url + "/login")
    page.fill("#email", EMAILS["manager"])
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/login/code")
    assert run_axe(page) == []
    on_narrow_screens(page)
    assert problems.found == []
    page.context.close()


def test_form_expired_page(live_server, browser):
    page = browser.new_context().new_page()
    page.goto(live_server.url + "/login")
    page.evaluate("document.querySelector('input[name=csrf_token]').value = 'expired'")
    page.fill("#email", EMAILS["gp"])
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    assert "This form has expired" in page.content()
    assert run_axe(page) == []
    on_narrow_screens(page)
    page.context.close()


def test_too_large_page(live_server, signed_in):
    """The page for a request over the size limit, as a browser gets it after sending a file
    larger than any document may be (where the form's own check could not stop it first: here
    the page is told no limit)."""
    page = signed_in("manager")
    path = fill("/cases/{action:add_document}", live_server.app)
    page.goto(live_server.url + path)
    page.evaluate("document.querySelector('input[name=file]').removeAttribute('data-max-bytes')")
    page.set_input_files("input[name=file]", files=[{
        "name": "huge.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-" + b"0" * (13 * 1024 * 1024),
    }], timeout=60_000)  # fmt: skip
    page.fill("#description", "Too big")
    page.locator("main form[method=post] button[type=submit]").last.click()
    page.wait_for_load_state()
    assert "The file is too large" in page.content()
    assert "not the description or anything else you typed" in page.content()
    assert page.get_by_role("link", name="Go back to the form").get_attribute("href") == path
    assert run_axe(page) == []
    page.context.close()


def test_server_error_page(live_server, browser):
    """The 500 page as the app renders it, served to the browser at a page of the app."""
    app = live_server.app
    with app.test_request_context("/"):
        html = render_template("errors/500.jinja")
    page = browser.new_context().new_page()
    page.route(
        f"{live_server.url}/error-500-preview",
        lambda route: route.fulfill(status=500, body=html, content_type="text/html"),
    )
    page.goto(f"{live_server.url}/error-500-preview")
    assert "Sorry, there is a problem with the service" in page.content()
    assert run_axe(page) == []
    on_narrow_screens(page)
    page.context.close()


def test_database_unavailable_page(live_server, browser):
    """The 503 page staff see while the database is out of reach, served to the browser."""
    app = live_server.app
    with app.test_request_context("/"):
        html = render_template("errors/database_unavailable.jinja")
    page = browser.new_context().new_page()
    page.route(
        f"{live_server.url}/error-503-preview",
        lambda route: route.fulfill(status=503, body=html, content_type="text/html"),
    )
    page.goto(f"{live_server.url}/error-503-preview")
    assert "The tracker cannot reach its database" in page.content()
    assert run_axe(page) == []
    on_narrow_screens(page)
    page.context.close()
