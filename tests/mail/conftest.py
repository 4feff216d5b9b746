"""A real SMTP server (aiosmtpd) on loopback, and the app's mail pointed at it."""

import socket
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    """What the SMTP server was given: the envelope's recipients and the parsed message."""

    recipients: list[str]
    message: EmailMessage

    @property
    def to(self) -> str:
        return self.recipients[0]

    @property
    def subject(self) -> str:
        return self.message["Subject"]

    @property
    def text(self) -> str:
        return self.message.get_body(preferencelist=("plain",)).get_content()

    @property
    def html(self) -> str:
        return self.message.get_body(preferencelist=("html",)).get_content()


@dataclass
class Inbox:
    received: list[Received] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        self.received.append(
            Received(
                list(envelope.rcpt_tos),
                message_from_bytes(envelope.original_content, policy=policy.default),
            )
        )
        return "250 Message accepted"

    def to(self, address: str) -> list[Received]:
        return [mail for mail in self.received if address in mail.recipients]


class SMTPServer:
    """aiosmtpd on 127.0.0.1; stop() and start() again on the same port, like a relay that
    goes down and comes back."""

    def __init__(self):
        self.port = free_port()
        self.inbox = Inbox()
        self.controller = None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server():
    server = SMTPServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mail_on(app, smtp_server, monkeypatch):
    """The app sends through the test's SMTP server; returns its inbox."""
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", smtp_server.port)
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT_SECONDS", 5)
    return smtp_server.inbox


@pytest.fixture
def run_command(app):
    """Run `flask --app wsgi tracker <command>` against the test database; returns its output."""

    def run(*args):
        result = app.test_cli_runner().invoke(args=["tracker", *args])
        assert result.exit_code == 0, result.output
        return result.output

    return run
