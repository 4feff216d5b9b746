"""A real browser against the app served on loopback with a fresh database of demo data.

Chromium comes from Debian (`apt-get install -y chromium`; `.ci/run` installs it). Outside CI the
browser tests are skipped with a clear message when it is missing; in CI they must run.
"""

import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from tracker import create_app
from tracker.config import TestConfig
from tracker.demo import RIVERSIDE
from tracker.extensions import db
from tracker.practices.scope import in_practice
from tracker.practices.services import find_practice

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "second-opinion-demo"


def pytest_collection_modifyitems(config, items):
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    if os.environ.get("CI"):
        return  # in CI a missing browser must fail, not skip
    skip = pytest.mark.skip(
        reason=f"Chromium not found at {CHROMIUM}: install it with 'apt-get install -y chromium'"
    )
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(skip)


@dataclass
class LiveServer:
    url: str
    app: object


@pytest.fixture(scope="module")
def live_server(database_url) -> Iterator[LiveServer]:
    """The app with CSRF on, served from a thread on 127.0.0.1, over demo data."""
    config = TestConfig(database_url)
    config.WTF_CSRF_ENABLED = True
    app = create_app(config)
    with app.app_context():
        upgrade(revision="heads")
    result = app.test_cli_runner().invoke(args=["tracker", "seed-demo"])
    assert result.exit_code == 0, result.output
    prepare_demo_manager(app)
    with app.app_context():
        riverside = find_practice(RIVERSIDE.ods_code).id
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        # What the tests read of the database, they read in Riverside, the practice the demo
        # staff they sign in as work in (Hillside numbers its cases from one too).
        with in_practice(riverside):
            yield LiveServer(f"http://127.0.0.1:{server.server_port}", app)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        with app.app_context():
            db.session.remove()
            for table in reversed(db.metadata.sorted_tables):
                db.session.execute(table.delete())
            db.session.commit()
            db.engine.dispose()


MANAGER_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def prepare_demo_manager(app) -> None:
    """Give the demo practice manager a known two-factor secret, where two-factor exists."""
    from tracker import clock
    from tracker.staff.models import User

    with app.app_context():
        manager = db.session.query(User).filter_by(email="manager@demo.practice.example").one()
        if hasattr(manager, "totp_secret"):
            manager.totp_secret = MANAGER_SECRET
            manager.totp_enabled_at = clock.now_utc()
            db.session.commit()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    context.close()


@pytest.fixture(scope="module")
def signed_in(browser, live_server):
    """A browser context already signed in for each demo role (one sign-in each per module,
    so a two-factor code is never used twice)."""
    states = {}

    def context_for(role: str, **options):
        if role not in states:
            context = browser.new_context()
            sign_in(context.new_page(), live_server, EMAILS[role])
            states[role] = context.storage_state()
            context.close()
        context = browser.new_context(
            storage_state=states[role], viewport={"width": 1280, "height": 900}, **options
        )
        opened = context.new_page()
        opened.set_default_timeout(15_000)
        return opened

    return context_for


def sign_in(page, live_server, email: str) -> None:
    """Sign in through the form, answering the two-factor step if it is asked."""
    page.goto(f"{live_server.url}/login")
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    code_box = page.locator("input[name=code]")
    if code_box.count():
        import pyotp

        code_box.fill(pyotp.TOTP(MANAGER_SECRET).now())
        page.click("button[type=submit]")
        page.wait_for_load_state()
    assert "/login" not in page.url and "/account/" not in page.url, (
        page.url,
        page.content()[:3000],
    )


EMAILS = {
    "reception": "reception@demo.practice.example",
    "gp": "dr.hughes@demo.practice.example",
    "senior": "dr.okafor@demo.practice.example",
    "manager": "manager@demo.practice.example",
    "shared_gp": "dr.shah@demo.practice.example",  # a GP of Riverside and Hillside
    "visiting_gp": "dr.baker@demo.hillside.example",  # a Hillside GP with a Riverside case
    "pcn_manager": "pcn@demo.network.example",
    "icb_manager": "icb@demo.network.example",
}
