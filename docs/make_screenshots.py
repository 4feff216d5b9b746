"""Screenshots of the main pages for the README, from a fresh copy of the demo data, and the
first page of each letter to patients (the PDF turned into a PNG).

Run with `make screenshots`; needs Debian's Chromium at /usr/bin/chromium (or CHROMIUM_PATH).
`python docs/make_screenshots.py letters` makes only the letters' pictures (no browser needed).
"""

import os
import sys
import tempfile
import threading
from pathlib import Path

import pyotp
import pypdfium2
from flask_migrate import upgrade
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from tracker import clock, create_app
from tracker.cases.letters.kinds import LetterKind
from tracker.cases.letters.render import letter_for, pdf_of, why_not
from tracker.cases.models import Case
from tracker.config import TestConfig
from tracker.extensions import db
from tracker.settings.models import load_settings
from tracker.staff.models import User

OUT = Path(__file__).resolve().parent / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SECRET = pyotp.random_base32()
PASSWORD = "second-opinion-demo"  # noqa: S105 - the published demo password


def prepared_app(folder: str):
    config = TestConfig(f"sqlite:///{folder}/screenshots.sqlite")
    config.WTF_CSRF_ENABLED = True
    app = create_app(config)
    with app.app_context():
        upgrade(revision="heads")
    result = app.test_cli_runner().invoke(args=["tracker", "seed-demo"])
    if result.exit_code:
        sys.exit(result.output)
    with app.app_context():
        manager = db.session.query(User).filter_by(email="manager@demo.practice.example").one()
        if hasattr(manager, "totp_secret"):
            manager.totp_secret, manager.totp_enabled_at = SECRET, clock.now_utc()
            db.session.commit()
    return app


def letter_pictures(app) -> None:
    """The first page of each letter for a demo case it fits, as the PDF staff would send."""
    with app.app_context(), app.test_request_context():
        settings = load_settings()
        settings.pals_office_name = "PALS – Riverside NHS Foundation Trust"
        settings.pals_phone = "01632 960999"
        settings.pals_email = "pals@riverside.example.nhs.uk"
        settings.pals_web_address = "https://www.riverside.example.nhs.uk/pals"
        db.session.add(settings)
        db.session.commit()
        manager = db.session.query(User).filter_by(email="manager@demo.practice.example").one()
        cases = db.session.query(Case).order_by(Case.id).all()
        soon = clock.now_utc()
        for kind in LetterKind:
            fits = [case for case in cases if why_not(case, kind) is None]
            # An appointment still to come reads best
            upcoming = [c for c in fits if c.appointment_at and c.appointment_at > soon]
            case = (upcoming or fits)[0]
            pdf = pdf_of(letter_for(case, kind, manager, for_pdf=True))
            document = pypdfium2.PdfDocument(pdf)
            image = document[0].render(scale=150 / 72).to_pil()
            image.save(OUT / f"letter-{kind.value}.png", optimize=True)
            document.close()


def letter_case(app) -> str:
    """A case with an outcome and an address, so every letter but one can be made for it."""
    with app.app_context():
        return next(
            case.reference
            for case in db.session.query(Case).order_by(Case.id)
            if case.outcome and case.has_postal_address and case.is_open
        )


def sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    if page.locator("input[name=code]").count():
        page.fill("input[name=code]", pyotp.TOTP(SECRET).now())
        page.click("button[type=submit]")


def main() -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        app = prepared_app(folder)
        letter_pictures(app)
        if sys.argv[1:] == ["letters"]:
            print(f"Letter pictures written to {OUT}")
            return
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            sign_in(page, base, "manager@demo.practice.example")
            page.goto(f"{base}/queue")
            page.screenshot(path=OUT / "queue.png", full_page=False)
            page.goto(f"{base}/queue?stage=in_review")
            page.locator("#practice-queue ~ table a").first.click()
            page.screenshot(path=OUT / "case.png", full_page=False)
            page.goto(f"{base}/reports/monthly?month={clock.today_london():%Y-%m}")
            page.screenshot(path=OUT / "monthly-report.png", full_page=False)
            page.goto(f"{base}/cases/new")
            page.screenshot(path=OUT / "log-a-request.png", full_page=False)
            page.goto(f"{base}/cases/{letter_case(app)}/send-letter")
            page.screenshot(path=OUT / "send-a-letter.png", full_page=False)
            page.goto(f"{base}/admin/mail")
            page.screenshot(path=OUT / "mail-outbox.png", full_page=False)
            # The same tracker on a phone: the queue, and an action form with its guidance.
            phone = page  # signed in already: an authenticator code is accepted once
            phone.set_viewport_size({"width": 390, "height": 844})
            phone.goto(f"{base}/queue")
            phone.screenshot(path=OUT / "phone-queue.png", full_page=False)
            phone.goto(f"{base}/reports/monthly?month={clock.today_london():%Y-%m}#trend")
            phone.screenshot(path=OUT / "phone-monthly-chart.png", full_page=False)
            browser.close()
        server.shutdown()
    print(f"Screenshots written to {OUT}")


if __name__ == "__main__":
    main()
