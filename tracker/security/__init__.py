"""Security and information governance: two-factor sign-in, session limits, response headers,
sign-in rate limiting, retention, backup and subject access."""

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from tracker.security.headers import init_headers
from tracker.security.routes import bp as security_bp
from tracker.security.sessions import init_sessions


def init_app(app: Flask) -> None:
    """Headers, session limits, the two-factor pages, and the proxy setting."""
    proxies = app.config.get("TRUSTED_PROXY_COUNT") or 0
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    app.register_blueprint(security_bp)
    init_headers(app)
    init_sessions(app)
