"""The add-document form checks a chosen file's size before sending it: a file over the limit is
refused in the page, nothing is sent, and the description typed stays."""

import re

from tests.attachments.files import png
from tests.browser.test_accessibility import fill, run_axe

MB = 1024 * 1024


def test_a_file_over_the_limit_is_refused_in_the_page_and_the_description_stays(
    live_server, signed_in
):
    page = signed_in("reception")
    path = fill("/cases/{action:add_document}", live_server.app)
    reference = path.split("/")[2]
    posted = []
    page.on(
        "request", lambda request: posted.append(request.url) if request.method == "POST" else None
    )
    page.goto(live_server.url + path)
    page.fill("#description", "Letter from the patient's daughter")
    page.set_input_files("input[name=file]", files=[{
        "name": "huge scan.pdf", "mimeType": "application/pdf",
        "buffer": b"%PDF-" + b"0" * (10 * MB + 200 * 1024),
    }], timeout=60_000)  # fmt: skip
    error = page.locator("#file-size-error")
    assert " ".join(error.text_content().split()) == (
        "Error: The selected file must be 10 MB or smaller. This one is 10.2 MB. "
        "Choose a smaller file"
    )
    page.locator("main form[method=post] button[type=submit]").last.click()
    page.wait_for_timeout(500)
    assert posted == [] and page.url == live_server.url + path
    assert page.title().startswith("Error: ")
    assert page.input_value("#description") == "Letter from the patient's daughter"
    assert "nhsuk-form-group--error" in page.locator(".nhsuk-file-upload").get_attribute("class")
    assert run_axe(page) == []

    # A file within the limit clears the message and is sent with the description.
    page.set_input_files("input[name=file]", files=[{
        "name": "letter.png", "mimeType": "image/png", "buffer": png(),
    }])  # fmt: skip
    assert page.locator("#file-size-error").count() == 0
    page.locator("main form[method=post] button[type=submit]").last.click()
    page.wait_for_url(f"**/cases/{reference}", timeout=60_000)  # an upload on a busy machine
    assert page.locator(".app-document", has_text=re.compile("daughter")).count() == 1
    page.context.close()
