"""The .eml files the mail writer keeps on disk (the default without SMTP), found by recipient."""

from __future__ import annotations

import email.policy
from email.parser import BytesHeaderParser
from email.utils import getaddresses
from pathlib import Path

from flask import current_app


def mail_dir() -> Path:
    """Return the folder the .eml writer delivers to (see survey.mail.sender)."""
    return Path(current_app.config["SURVEY_INSTANCE_DIR"]) / "mail"


def mail_files(addresses: set[str]) -> list[Path]:
    """Return the .eml files sent to any of these (lower-cased) addresses, in name order.

    The .eml writer keeps every message it delivers, so a person's address and mail stay
    on disk until erasure deletes these.
    """
    directory = mail_dir()
    if not addresses or not directory.is_dir():
        return []
    parser = BytesHeaderParser(policy=email.policy.compat32)
    found = []
    for path in sorted(directory.glob("*.eml")):
        try:
            with path.open("rb") as file:
                headers = parser.parse(file)
        except OSError:  # removed meanwhile
            continue
        values = [str(v) for name in ("To", "Cc", "Bcc") for v in headers.get_all(name, [])]
        if any(address.strip().lower() in addresses for _name, address in getaddresses(values)):
            found.append(path)
    return found
