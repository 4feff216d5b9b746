"""`make run-with-nhs-sign-in`: the demo (`make run`) with "Sign in with NHSmail" at the tests'
OpenID provider on loopback. Every demo account is a user there too, with the demo password, so
its first sign-in there links it; the provider says each signed in with more than one factor.

    .venv/bin/python -m tests.oidc.demo --host 127.0.0.1 --port 5000
"""

import argparse
import contextlib
import os
import secrets
import signal
import subprocess
import sys

from tests.oidc import TestProvider
from tests.oidc.served import TENANT
from tracker.demo import DEMO_PASSWORD, DEMO_STAFF, HILLSIDE_STAFF, NETWORK_STAFF


def demo_users() -> list[dict]:
    emails = [row[0] for row in (*DEMO_STAFF, *HILLSIDE_STAFF, *NETWORK_STAFF)]
    return [
        {
            "email": email,
            "password": DEMO_PASSWORD,
            "sub": f"demo-{n}",
            "amr": ["pwd", "mfa"],
            "claims": {"tid": TENANT, "oid": f"demo-object-{n}", "preferred_username": email},
        }
        for n, email in enumerate(emails, start=1)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="5000")
    args = parser.parse_args(argv)
    base = f"http://{args.host}:{args.port}"
    secret = secrets.token_urlsafe(32)
    client = {
        "client_id": "tracker-demo",
        "client_secret": secret,
        "redirect_uris": [f"{base}/login/with/nhsmail/return"],
        "post_logout_redirect_uris": [f"{base}/login"],
        "backchannel_logout_uri": f"{base}/login/with/nhsmail/back-channel-logout",
        "backchannel_logout_session_required": True,
    }
    provider = TestProvider({"users": demo_users(), "clients": [client]})
    settings = {
        "TRACKER_SIGN_IN_PROVIDERS": "nhsmail",
        "TRACKER_SIGN_IN_NHSMAIL_DISCOVERY_URL": provider.discovery_url,
        "TRACKER_SIGN_IN_NHSMAIL_CLIENT_ID": client["client_id"],
        "TRACKER_SIGN_IN_NHSMAIL_CLIENT_SECRET": secret,
        "TRACKER_SIGN_IN_NHSMAIL_LABEL": "NHSmail (test provider)",
    }
    print(
        f"A test OpenID provider is answering at {provider.issuer}: on the sign-in page, press "
        f'"Sign in with NHSmail (test provider)" and sign in there as any demo account with the '
        f"demo password.",
        flush=True,
    )
    # The demo in a process group of its own, so stopping this (Ctrl+C, or a signal to this
    # process alone) stops the server, the mail worker and the provider together.
    demo = subprocess.Popen(  # noqa: S603 - our own make target
        ["make", "--no-print-directory", "run", f"HOST={args.host}", f"PORT={args.port}"],  # noqa: S607
        env={**os.environ, **settings},
        start_new_session=True,
    )

    stopped = []

    def stop(*_):
        stopped.append(True)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(demo.pid, signal.SIGINT)

    signal.signal(signal.SIGTERM, stop)
    try:
        finished = demo.wait()
    except KeyboardInterrupt:
        stop()
        finished = demo.wait()
    finally:
        provider.stop()
    return 0 if stopped else finished


if __name__ == "__main__":
    sys.exit(main())
