"""SECURITY.md names the tests behind its claims: every test it names exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_test_named_in_security_md_exists() -> None:
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(tests/[\w/]+\.py)(?:::(\w+))?", text))
    assert len(named) >= 20
    for path, function in named:
        source = ROOT / path
        assert source.is_file(), path
        if function:
            assert f"def {function}(" in source.read_text(encoding="utf-8"), f"{path}::{function}"
