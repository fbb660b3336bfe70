"""Which of a survey's texts a mail is written with, in which language.

An invitation carries a language: the company's preferred one when it is created, then the
one the respondent answers in. A survey always has a Swedish invitation text and may have
English texts and reminder texts. The recipient must be able to read the mail, so language
comes before kind: a reminder in English uses the English reminder text, else the English
invitation text, else the Swedish reminder text, else the Swedish invitation text. When the
survey has no text at all in the invitation's language the whole mail (its frame included)
is Swedish, so a mail never mixes languages in its body.
"""

from __future__ import annotations

from dataclasses import dataclass

from survey.models import Survey
from survey.models.company import LANGUAGES

DEFAULT_LANGUAGE = LANGUAGES[0]


@dataclass(frozen=True)
class MailTexts:
    """The language of a mail and the official's subject and body templates to fill."""

    language: str
    subject: str
    body: str


def _text(survey: Survey, kind: str, part: str, language: str) -> str:
    return (getattr(survey, f"{kind}_{part}_{language}", None) or "").strip()


def _candidates(kind: str, language: str) -> list[tuple[str, str]]:
    kinds = ["reminder", "invitation"] if kind == "reminder" else ["invitation"]
    languages = [language, DEFAULT_LANGUAGE] if language != DEFAULT_LANGUAGE else [language]
    return [(each_kind, each_language) for each_language in languages for each_kind in kinds]


def texts_for(survey: Survey, *, kind: str, language: str) -> MailTexts:
    """Return the texts for an invitation or reminder mail in (or nearest to) a language.

    The body decides: the first of the candidates (see the module docstring) that has a
    body. Its subject is the same kind's subject in that language, else the invitation's
    subject in that language, else the Swedish ones (the Swedish invitation subject is
    required, so there always is one).
    """
    wanted = language if language in LANGUAGES else DEFAULT_LANGUAGE
    for text_kind, text_language in _candidates(kind, wanted):
        body = _text(survey, text_kind, "body", text_language)
        if body:
            break
    else:
        text_kind, text_language, body = "invitation", DEFAULT_LANGUAGE, ""
    subjects = [(text_kind, text_language), ("invitation", text_language)]
    subjects += [(text_kind, DEFAULT_LANGUAGE), ("invitation", DEFAULT_LANGUAGE)]
    subject = next(
        (found for k, lang in subjects if (found := _text(survey, k, "subject", lang))), ""
    )
    return MailTexts(language=text_language, subject=subject, body=body)
