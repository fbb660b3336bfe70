"""Security headers on every response, with a strict Content-Security-Policy."""

from __future__ import annotations

from flask import Flask, Response, abort, request
from werkzeug.middleware.proxy_fix import ProxyFix

CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        # plotly sets style attributes on its SVG elements
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


def refuse_nul_bytes() -> None:
    """Refuse (400) a request with a NUL character in its path, query or form fields.

    NUL is never meaningful text, and PostgreSQL cannot store it: letting it through would
    turn hostile input into a server error instead of a clear refusal.
    """
    if "\x00" in request.path or any(
        "\x00" in key or "\x00" in value
        for source in (request.args, request.form)
        for key, values in source.lists()
        for value in values
    ):
        abort(400)


#: Endpoints whose responses hold nothing personal and may be cached: the static assets
#: and the organisation's logo (which sets its own Cache-Control).
CACHEABLE = frozenset({"static", "dashboard.plotly_bundle", "organisation.logo"})


def register(app: Flask) -> None:
    """Refuse NUL bytes before any view runs, and add the security headers to every response.

    Every response but a static asset's is `Cache-Control: no-store`: logged-in pages, token
    pages, the API and the personal-data report hold personal data, and a browser or proxy
    must keep no copy of them (a shared computer's back button, a proxy's disk).
    """
    app.before_request(refuse_nul_bytes)

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if request.endpoint not in CACHEABLE:
            response.headers["Cache-Control"] = "no-store"
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        return response


def behind_proxy(app: Flask) -> Flask:
    """Trust X-Forwarded-For/-Proto/-Host/-Port from SURVEY_PROXY_COUNT reverse proxies.

    Off (0) by default: without a proxy in front, those headers come from the client and
    must not be believed (they would let anyone pick the address that login throttling counts).
    """
    count = int(app.config.get("SURVEY_PROXY_COUNT", 0))
    if count > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=count, x_proto=count, x_host=count, x_port=count
        )
    return app
