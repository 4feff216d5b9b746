"""`make run` serves the demo with `flask tracker serve-demo`: the address is printed only once
it answers, so a newcomer who opens it at once gets the sign-in page, not "connection
refused"; Ctrl+C stops the server and the mail worker beside it."""

import http.client
import os
import queue
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.mail.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 120  # the app loads twice (server and worker) on a busy machine


def read_lines(stream, into: queue.Queue) -> None:
    for line in stream:
        into.put(line)
    into.put(None)


def next_line(lines: queue.Queue, deadline: float) -> str | None:
    return lines.get(timeout=max(0.1, deadline - time.monotonic()))


def test_the_address_is_printed_only_once_it_answers_and_ctrl_c_stops_everything(
    app, database_url, tmp_path
):
    port = free_port()
    environment = {
        **os.environ,
        "TRACKER_ENV": "demo",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],  # the app's role on PostgreSQL
        "SECRET_KEY": secrets.token_hex(32),
        "MAIL_FILE": str(tmp_path / "demo-mail.txt"),
        "PYTHONUNBUFFERED": "1",
    }
    environment.pop("FLASK_APP", None)
    environment.pop("APP_BASE_URL", None)
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "tracker", "serve-demo"]
    demo = subprocess.Popen(  # noqa: S603 - our own interpreter running our own command
        [*command, "--port", str(port), "--mail-interval", "1", "--wait", str(STARTUP_SECONDS)],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=read_lines, args=(demo.stdout, lines), daemon=True).start()
    said: list[str] = []
    try:
        deadline = time.monotonic() + STARTUP_SECONDS + 30
        while not any(line.startswith("Serving on") for line in said):
            line = next_line(lines, deadline)
            assert line is not None, "".join(said)
            said.append(line)
        # At once, as a newcomer clicking the address would.
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/login")
        assert connection.getresponse().status == 200
        connection.close()
        printed = "".join(said)
        assert f"Serving on http://127.0.0.1:{port}/ (Ctrl+C to stop)" in printed
        assert "Demo sign-ins (password for all:" in printed
        assert "manager@demo.practice.example" in printed
        worker = int(re.search(r"The mail worker \(process (\d+)\)", printed).group(1))
        os.kill(worker, 0)  # running beside the server

        demo.send_signal(signal.SIGINT)
        assert demo.wait(timeout=60) == 0
        deadline = time.monotonic() + 10
        while (line := next_line(lines, deadline)) is not None:
            said.append(line)
        assert "The server and the mail worker have stopped." in "".join(said)
        with pytest.raises(ProcessLookupError):
            os.kill(worker, 0)
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait()
