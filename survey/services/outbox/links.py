"""Personal links in mail: stored withheld, put in only in the copy handed to the mail server.

A survey link and a password-reset link each carry a token derived from a stored random nonce
under a key from SECRET_KEY; only the token's SHA-256 hash is stored and looked up. Mail is
composed with `WITHHELD` where the token goes, so the outbox (its pages, and a copy of the
database) holds no working link; delivery derives the token again and puts it in (`reveal`).
Should SECRET_KEY change between queueing and delivery, the token can no longer be made: the
mail fails with a note, and sending it again issues a new link.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
from typing import Protocol, TypeVar

from flask import current_app

WITHHELD = "\u2022" * 8  # "••••••••": no token looks like it (tokens are URL-safe base64)
INVITATION = b"survey invitation tokens"
PASSWORD_RESET = b"password reset tokens"
LINK_UNAVAILABLE = "the personal link could not be made again (SECRET_KEY changed): send anew"


class LinkUnavailable(ValueError):
    """The token of a queued mail cannot be derived again."""


class WithheldMail(Protocol):
    """A queued mail as delivery sees it: its texts and the nonce and hash of its link."""

    kind: str
    text_body: str
    html_body: str
    unsubscribe_url: str | None
    link_nonce: str | None
    link_hash: str | None


M = TypeVar("M", bound=WithheldMail)


def derive(nonce: str, purpose: bytes) -> str:
    """Return the token of a nonce: HMAC-SHA256 under a key for `purpose` from SECRET_KEY."""
    secret = current_app.config["SECRET_KEY"].encode("utf-8")
    key = hmac.new(secret, purpose, hashlib.sha256).digest()
    digest = hmac.new(key, nonce.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def hash_token(token: str) -> str:
    """Return the stored form of a token: its SHA-256 hex digest."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def purpose_of(kind: str) -> bytes:
    """Return the key purpose of the link a mail of this kind carries."""
    return PASSWORD_RESET if kind == "password_reset" else INVITATION


def reveal(mail: M) -> M:
    """Return a copy of a queued mail with its link's token put in where it was withheld.

    Raise LinkUnavailable when the mail withholds a token that cannot be derived again.
    """
    texts = (mail.text_body, mail.html_body, mail.unsubscribe_url or "")
    if not any(WITHHELD in text for text in texts):
        return mail
    if mail.link_nonce is None or mail.link_hash is None:
        raise LinkUnavailable(LINK_UNAVAILABLE)
    token = derive(mail.link_nonce, purpose_of(mail.kind))
    if not hmac.compare_digest(hash_token(token), mail.link_hash):
        raise LinkUnavailable(LINK_UNAVAILABLE)
    return dataclasses.replace(  # type: ignore[type-var]
        mail,
        text_body=mail.text_body.replace(WITHHELD, token),
        html_body=mail.html_body.replace(WITHHELD, token),
        unsubscribe_url=mail.unsubscribe_url and mail.unsubscribe_url.replace(WITHHELD, token),
    )
