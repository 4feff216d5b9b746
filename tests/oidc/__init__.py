"""The OpenID provider the tests sign in at: panva's certified `oidc-provider` (an npm
development dependency, installed by `make install`), started on loopback by a fixture
(tests/conftest.py, `oidc_provider`) and stopped after the run. `provider.mjs` is its script."""

import json
import shutil
import subprocess
import tempfile
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import requests

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "provider.mjs"
PROJECT = HERE.parent.parent


class ProviderProblem(RuntimeError):
    pass


class _Form(HTMLParser):
    def __init__(self):
        super().__init__()
        self.action = None

    def handle_starttag(self, tag, attrs):
        if tag == "form" and self.action is None:
            self.action = dict(attrs).get("action")


class TestProvider:
    """The running provider, and what a test asks of it."""

    __test__ = False

    def __init__(self, config: dict | None = None):
        if shutil.which("node") is None:
            raise ProviderProblem("Node.js is needed to run the test OpenID provider")
        if not (PROJECT / "node_modules" / "oidc-provider").is_dir():
            raise ProviderProblem("oidc-provider is not installed: run 'make install'")
        self._config = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)  # noqa: SIM115
        json.dump({"port": 0, **(config or {})}, self._config)
        self._config.close()
        self.process = subprocess.Popen(  # noqa: S603 - our own script
            ["node", str(SCRIPT), self._config.name],  # noqa: S607 - node from the PATH
            cwd=PROJECT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.issuer = self._wait_for_start()
        # Keep reading the provider's output so it never blocks on a full pipe; what it says
        # of refused requests is kept for a failing test's report (`said`).
        self.said: list[str] = []
        for stream in (self.process.stdout, self.process.stderr):
            threading.Thread(target=self._keep, args=(stream,), daemon=True).start()

    def _keep(self, stream) -> None:
        for line in stream:
            self.said.append(line.rstrip())
            del self.said[:-200]

    def _wait_for_start(self) -> str:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if line.startswith("listening "):
                return line.split()[1]
            if not line and self.process.poll() is not None:
                raise ProviderProblem(f"The test provider stopped: {self.process.stderr.read()}")
        self.stop()
        raise ProviderProblem("The test provider did not start within 30 seconds")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        Path(self._config.name).unlink(missing_ok=True)

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def _control(self, name: str, **asked) -> dict:
        reply = requests.post(f"{self.issuer}/__test/{name}", json=asked, timeout=10)
        found = reply.json()
        if reply.status_code != 200:
            raise ProviderProblem(f"{name}: {found}")
        return found

    def register(self, **metadata) -> dict:
        """A client registered at the provider (dynamic client registration): its settings
        with client_id and, for client_secret_* authentication, client_secret."""
        reply = requests.post(f"{self.issuer}/reg", json=metadata, timeout=10)
        if reply.status_code != 201:
            raise ProviderProblem(f"registration refused: {reply.text}")
        return reply.json()

    def add_users(self, *users: dict) -> None:
        self._control("users", users=list(users))

    def tamper(self, mode: str) -> None:
        """Spoil the next token response: signature, audience, issuer, expired or replay."""
        self._control("tamper", mode=mode)

    def logout_token(self, client_id: str, sid: str, spoil: str | None = None) -> str:
        """A logout token signed with the provider's key, spoilt in one way or not: audience,
        events, nonce or expiry."""
        return self._control("logout-token", client_id=client_id, sid=sid, spoil=spoil)["token"]

    def back_channel_logout(self, client_id: str, sub: str, sid: str | None = None) -> dict:
        return self._control("backchannel-logout", client_id=client_id, sub=sub, sid=sid)

    def sign_in(self, browser: requests.Session, url: str, email: str, password: str) -> str:
        """Follow the provider's pages from an authorization URL as a browser would, signing in
        on its own page; returns the address it finally sends the browser to (the app's)."""
        for _ in range(20):
            if not url.startswith(self.issuer):
                return url
            reply = browser.get(url, allow_redirects=False, timeout=10)
            if reply.status_code in (302, 303):
                url = urljoin(url, reply.headers["Location"])
                continue
            form = _Form()
            form.feed(reply.text)
            if reply.status_code != 200 or form.action is None:
                raise ProviderProblem(f"{url} answered {reply.status_code}: {reply.text[:500]}")
            posted = browser.post(
                urljoin(url, form.action),
                data={"email": email, "password": password},
                allow_redirects=False,
                timeout=10,
            )
            if posted.status_code not in (302, 303):
                raise ProviderProblem(f"signing in at the provider failed: {posted.text[:500]}")
            url = urljoin(url, posted.headers["Location"])
        raise ProviderProblem("too many redirects at the provider")
