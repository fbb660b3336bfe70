"""What an official types in the builder's forms, turned into plain battery definitions."""

from __future__ import annotations

from dataclasses import dataclass

from survey.questionnaires import model as spec


@dataclass(frozen=True)
class TextsInput:
    """A battery's title and introduction as typed."""

    title_sv: str = ""
    title_en: str = ""
    intro_sv: str = ""
    intro_en: str = ""


@dataclass(frozen=True)
class SectionInput:
    """A section's fields as typed."""

    key: str = ""
    title_sv: str = ""
    title_en: str = ""
    description_sv: str = ""
    description_en: str = ""


def optional_text(sv: str, en: str) -> spec.Text | None:
    """Return a Text, or None when both languages are empty (English alone stays an error)."""
    sv, en = sv.strip(), en.strip()
    if not sv and not en:
        return None
    return spec.Text(sv=sv, en=en or None)


def required_text(sv: str, en: str) -> spec.Text:
    """Return a Text whose Swedish may be empty (the validator reports it)."""
    return spec.Text(sv=sv.strip(), en=en.strip() or None)


def section_definition(data: SectionInput, questions: tuple[spec.Question, ...]) -> spec.Section:
    """Return the section definition of a typed section with its existing questions."""
    return spec.Section(
        key=data.key.strip(),
        title=required_text(data.title_sv, data.title_en),
        description=optional_text(data.description_sv, data.description_en),
        questions=questions,
    )
