"""Response headers on every response: a nonce-based Content Security Policy and friends."""

import secrets

from flask import Flask, current_app, g


def csp_nonce() -> str:
    """This request's nonce for the few inline scripts a page may carry."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def content_security_policy(nonce: str) -> str:
    return "; ".join(
        (
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


def init_headers(app: Flask) -> None:
    @app.context_processor
    def nonce_for_templates():
        return {"cspNonce": csp_nonce()}

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers["Content-Security-Policy"] = content_security_policy(csp_nonce())
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        headers["Referrer-Policy"] = "no-referrer"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if current_app.config.get("SEND_HSTS"):
            headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        return response
