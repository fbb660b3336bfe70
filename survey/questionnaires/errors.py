"""The error a battery file raises: every problem found, each with where it is."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem in a battery file, e.g. at `sections[1].questions[3] (NKI_HELHET).scale.max`."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class BatteryFileError(ValueError):
    """A battery file that cannot be used; `errors` lists all its problems in file order."""

    def __init__(self, source: str, errors: list[Problem]) -> None:
        self.source = source
        self.errors = list(errors)
        super().__init__(self.source, self.errors)

    def __str__(self) -> str:
        return "\n".join(f"{self.source}: {problem}" for problem in self.errors)
