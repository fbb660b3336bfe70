"""A company answering through its token link over real HTTP, as a browser behind the proxy.

Each respondent has its own cookies and its own client address (sent as X-Forwarded-For by
the simulated reverse proxy, with X-Forwarded-Proto https), and reads the pages in English.
Every reply is sorted into one of the outcomes below; anything else is kept verbatim so a
failing assertion shows what the server answered.
"""

from __future__ import annotations

import http.client
import re
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

THANKS = "thanks"  # 302 to the thank-you page: the answer is committed
ALREADY = "already answered"  # the "already answered" page
NEUTRAL = "link not valid"  # the one neutral page for a token that cannot be answered
UNAVAILABLE = "503 unavailable"  # the friendly "temporarily unavailable" page

UNAVAILABLE_TEXT = "The service is temporarily unavailable"
ALREADY_TEXT = "This survey has already been answered"
NEUTRAL_TEXT = "This link is not valid"
THANKS_TEXT = "Thank you for your answers!"


class Respondent:
    """One company's browser session on one token link."""

    def __init__(self, base: str, token: str, address: str) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.token = token
        self.address = address
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Reply:
        """Send one request (no redirects followed) and keep the cookies it sets."""
        headers = {
            "X-Forwarded-For": self.address,
            "X-Forwarded-Proto": "https",
            "Accept-Language": "en",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://{self.host}:{self.port}{path}"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
        try:
            connection.request(method, path, body=body, headers=headers)
            reply = connection.getresponse()
            text = reply.read().decode("utf-8", errors="replace")
            for header in reply.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return Reply(reply.status, reply.headers.get("Location", ""), text)
        finally:
            connection.close()

    def open_page(self, path: str) -> Reply:
        """GET a page with a form and remember its CSRF token."""
        reply = self.request("GET", path)
        found = CSRF.search(reply.body) if reply.status == 200 else None
        if found:
            self.csrf = found.group(1)
        return reply

    def answer(self, answers: dict[str, str], *, follow: bool = True) -> str:
        """Answer the one-page battery and submit; return the outcome (or the odd reply)."""
        link = f"/s/{self.token}"
        reply = self.open_page(f"{link}/1")
        if not self.csrf:
            return self.outcome(reply, "page")
        reply = self.request(
            "POST", f"{link}/1", {**answers, "action": "next", "csrf_token": self.csrf}
        )
        if not (reply.status == 302 and reply.location.endswith(f"{link}/review")):
            return self.outcome(reply, "page POST")
        return self.submit(follow=follow)

    def submit(self, *, follow: bool = True) -> str:
        """POST the review page's submit button; on success check the thank-you page."""
        reply = self.request("POST", f"/s/{self.token}/review", {"csrf_token": self.csrf})
        outcome = self.outcome(reply, "submit")
        if outcome == THANKS and follow:
            thanks = self.request("GET", f"/s/{self.token}/thanks")
            if not (thanks.status == 200 and THANKS_TEXT in thanks.body):
                return f"thank-you page {thanks.status}: {thanks.body[:300]}"
        return outcome

    def outcome(self, reply: Reply, step: str) -> str:
        """Name what the server answered (or describe it when it is none of the outcomes)."""
        if reply.status == 302 and reply.location.endswith(f"/s/{self.token}/thanks"):
            return THANKS
        known = {
            (503, UNAVAILABLE_TEXT): UNAVAILABLE,
            (200, ALREADY_TEXT): ALREADY,
            (404, NEUTRAL_TEXT): NEUTRAL,
        }
        for (status, text), name in known.items():
            if reply.status == status and text in reply.body and "Traceback" not in reply.body:
                return name
        return f"{step}: {reply.status} {reply.location} {reply.body[:300]!r}"


class Reply:
    """Status, redirect target and body of one HTTP reply."""

    __slots__ = ("status", "location", "body")

    def __init__(self, status: int, location: str, body: str) -> None:
        self.status, self.location, self.body = status, location, body
