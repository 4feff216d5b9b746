"""A small HTTP client that signs in as a person would: one browser's cookies over loopback
HTTP, the sign-in form and authenticator code, timed requests and streamed downloads. The same
interface over Flask's test client serves the in-process statement counts."""

import http.client
import io
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode

import openpyxl

from bench.generate import BENCH_PASSWORD, BENCH_TOTP_SECRET

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float


class Browser:
    """One person's browser: keeps the session cookie (sent over loopback HTTP even though the
    production cookie is marked Secure) and follows nothing by itself."""

    def __init__(self, port: int, timeout: float = 120):
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    def _send(self, method: str, path: str, body: bytes | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                cookie = value.split(";", 1)[0]
                key, _, val = cookie.partition("=")
                if val and "expires=Thu, 01 Jan 1970" not in value:
                    self.cookies[key.strip()] = val
                else:
                    self.cookies.pop(key.strip(), None)
        return connection, response

    def request(self, method: str, path: str, form: dict | None = None) -> Reply:
        started = time.perf_counter()
        body = urlencode(form).encode() if form is not None else None
        connection, response = self._send(method, path, body)
        data = response.read()
        seconds = time.perf_counter() - started
        connection.close()
        return Reply(response.status, dict(response.getheaders()), data, seconds)

    def download(self, path: str) -> tuple[int, int, int, float]:
        """Stream a download: (status, bytes, lines, seconds). An Excel file's "lines" are its
        rows, header included, read back after the clock has stopped."""
        started = time.perf_counter()
        connection, response = self._send("GET", path)
        size = lines = 0
        workbook = io.BytesIO() if ".xlsx" in path else None
        while chunk := response.read(65536):
            size += len(chunk)
            if workbook is None:
                lines += chunk.count(b"\n")
            else:
                workbook.write(chunk)
        seconds = time.perf_counter() - started
        connection.close()
        if workbook is not None and response.status == 200:
            lines = openpyxl.load_workbook(workbook, read_only=True).active.max_row
        return response.status, size, lines, seconds


class TestClientBrowser:
    """The same interface over Flask's test client, for counting statements in-process."""

    def __init__(self, app):
        self.client = app.test_client()

    def request(self, method: str, path: str, form: dict | None = None) -> Reply:
        started = time.perf_counter()
        response = self.client.open(path, method=method, data=form, base_url="http://127.0.0.1")
        body = response.get_data()
        return Reply(
            response.status_code, dict(response.headers), body, time.perf_counter() - started
        )


def csrf_token(html: bytes) -> str:
    match = CSRF.search(html.decode())
    if not match:
        raise RuntimeError("No CSRF token on the sign-in page")
    return match.group(1) or match.group(2)


def sign_in(client, email: str, step_offset: int = 0, code_step=None) -> None:
    """Password, then the authenticator code when the account has two-factor sign-in. A code
    is accepted once: the in-process sign-in uses the previous time step's code (still
    accepted), the served one the current step's, so both work within the same 30 seconds.
    code_step, when given, is called for the time step to use instead (the load test signs
    the same account in more than once)."""
    page = client.request("GET", "/login")
    reply = client.request(
        "POST",
        "/login",
        {
            "csrf_token": csrf_token(page.body),
            "email": email,
            "password": BENCH_PASSWORD,
            "next": "",
        },
    )
    if reply.status != 302:
        raise RuntimeError(f"Sign-in as {email} failed ({reply.status})")
    if "/login/code" in reply.headers.get("Location", ""):
        import pyotp

        page = client.request("GET", "/login/code")
        totp = pyotp.TOTP(BENCH_TOTP_SECRET)
        step = code_step() if code_step else totp.timecode(datetime.now(UTC)) + step_offset
        code = totp.generate_otp(step)
        reply = client.request(
            "POST", "/login/code", {"csrf_token": csrf_token(page.body), "code": code}
        )
        if reply.status != 302 or "/login" in reply.headers.get("Location", ""):
            raise RuntimeError(f"Two-factor step for {email} failed ({reply.status})")
    check = client.request("GET", "/queue")
    if check.status != 200:
        raise RuntimeError(f"Signed in as {email} but /queue answered {check.status}")
