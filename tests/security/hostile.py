"""Hypothesis strategies for hostile input, and a raw form POST that keeps bytes as they are."""

from __future__ import annotations

from urllib.parse import quote_from_bytes

from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Each example is independent of the others (the checks count rows before and after), so a
# function-scoped app shared by the examples of one test is fine. How many examples: the
# profile's (tests/conftest.py); the bugs these tests once found are pinned with @example.
SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

SPECIAL = [
    b"",
    b"\x00",
    b"a\x00b",
    b"\xff\xfe\xfd",
    b"\xc3\x28",
    b"A" * 60_000,
    "å".encode() * 5000,
    b"\r\n\t\x1b[31m\x7f\x08",
    b"<script>alert(1)</script>",
    b'"><img src=x onerror=alert(1)>',
    b"%00%ff",
    b"' OR '1'='1",
    b"=cmd|' /C calc'!A0",
    b"\xe2\x80\xae\xef\xbb\xbf",
    b"-1",
    b"1e309",
    b"NaN",
    b"[]",
    b"{}",
]

hostile_bytes = st.one_of(
    st.sampled_from(SPECIAL),
    st.binary(max_size=200),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
)


def post_raw(client: FlaskClient, url: str, fields: dict[str, bytes], csrf: str | None):  # noqa: ANN201
    """POST an urlencoded form whose values are arbitrary bytes (invalid UTF-8 included)."""
    pairs = dict(fields)
    if csrf is not None:
        pairs["csrf_token"] = csrf.encode()
    body = "&".join(
        f"{quote_from_bytes(name.encode())}={quote_from_bytes(value)}"
        for name, value in pairs.items()
    )
    return client.post(url, data=body, content_type="application/x-www-form-urlencoded")
