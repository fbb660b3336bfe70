"""Page order of the respondent pages: intro, one page per section, review, thanks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import get_template_attribute, session
from flask_babel import gettext as _
from markupsafe import Markup

from survey.forms import (
    DONT_KNOW,
    build_all_section_forms,
    build_section_form,
    definition_for,
    submit_all_section_forms,
    text_in,
    visible_keys,
)
from survey.questionnaires import model as spec
from survey.questionnaires.published import published_versions
from survey.services.respondents.token_lookup import InvitationSnapshot

ANSWERED_KEY = "answered_invitations"
OPTED_OUT_KEY = "opted_out_invitations"


@dataclass(frozen=True)
class Flow:
    """The sections of an invitation's battery version, numbered from 1."""

    definition: spec.Battery

    @classmethod
    def of(cls, invitation: InvitationSnapshot) -> Flow:
        return cls(definition_for(invitation.survey.battery_version))

    @property
    def pages(self) -> int:
        return len(self.definition.sections)

    @property
    def review_page(self) -> int:
        return self.pages + 1

    def section(self, page: int) -> spec.Section:
        return self.definition.sections[page - 1]

    def form(
        self, invitation: InvitationSnapshot, page: int, *, language: str, formdata: Any = None
    ):  # noqa: ANN201
        return build_section_form(
            self.definition,
            self.section(page),
            language=language,
            data=invitation.draft or {},
            formdata=formdata,
        )

    def all_forms(self, invitation: InvitationSnapshot, *, language: str) -> list:
        """Return one form per section, filled from the draft, for the one-page view."""
        return build_all_section_forms(self.definition, language=language, data=invitation.draft)

    def blank_questionnaire(self, *, language: str) -> Markup:
        """Return the HTML of every part with nothing answered, for a first visit.

        It is the same for every respondent of a published version, so it is rendered once
        per language and app process (`survey.questionnaires.published`), not on every visit.
        """

        def render() -> Markup:
            sections = get_template_attribute("questionnaire/_form.html", "questionnaire_sections")
            return Markup(sections(build_all_section_forms(self.definition, language=language)))

        cache = published_versions()
        if cache is None:
            return render()
        return cache.derived(self.definition, ("blank questionnaire", language), render)

    def submit_all(self, *, language: str, formdata: Any) -> tuple[list, dict[str, Any] | None]:
        """Validate a one-page POST: the forms, and the answers or None when any is wrong."""
        return submit_all_section_forms(self.definition, language=language, formdata=formdata)

    def posted_answers(self, formdata: Any) -> dict[str, Any]:
        """Return the values a form POST holds for the questions, as the fields would read
        them (a multiple choice's every box, otherwise the first value), not yet checked."""
        return {
            q.key: formdata.getlist(q.key) if q.type == "multiple_choice" else formdata.get(q.key)
            for q in self.definition.questions()
            if q.key in formdata
        }

    @staticmethod
    def answers_of(forms: list) -> dict[str, Any]:
        """Return every valid answer of a one-page POST, to keep as a draft when it has errors."""
        return forms[-1].merged_answers() if forms else {}

    def page_of(self, question_key: str) -> int | None:
        """Return the page number of a question's section."""
        for number, section in enumerate(self.definition.sections, start=1):
            if any(q.key == question_key for q in section.questions):
                return number
        return None

    def review(self, answers: dict[str, Any]) -> list[tuple[int, spec.Section, list]]:
        """Return, per page, the shown questions with their answers (None when unanswered)."""
        shown = visible_keys(self.definition, answers)
        pages = []
        for number, section in enumerate(self.definition.sections, start=1):
            rows = [(q, answers.get(q.key)) for q in section.questions if q.key in shown]
            pages.append((number, section, rows))
        return pages


def remember_answered(invitation_id: int) -> None:
    """Remember in this visitor's session that it just submitted this invitation."""
    answered = [i for i in session.get(ANSWERED_KEY, []) if i != invitation_id][-4:]
    session[ANSWERED_KEY] = [*answered, invitation_id]


def answered_here(invitation: InvitationSnapshot | None) -> bool:
    """Tell whether this visitor's own session submitted the invitation."""
    return invitation is not None and invitation.id in session.get(ANSWERED_KEY, [])


def remember_opted_out(invitation_id: int) -> None:
    """Remember in this visitor's session that it opted this invitation's company out."""
    opted = [i for i in session.get(OPTED_OUT_KEY, []) if i != invitation_id][-4:]
    session[OPTED_OUT_KEY] = [*opted, invitation_id]


def opted_out_here(invitation: InvitationSnapshot | None) -> bool:
    """Tell whether this visitor's own session opted out with this invitation's link."""
    return invitation is not None and invitation.id in session.get(OPTED_OUT_KEY, [])


def answer_text(question: spec.Question, value: Any, language: str) -> str:
    """Return an answer as the respondent sees it on the review page."""
    if value == DONT_KNOW:
        return _("Don't know / not applicable")
    if question.type == "yes_no":
        return _("Yes") if value in ("yes", True) else _("No")
    labels = {o.key: text_in(o.label, language) for o in question.options}
    if question.type == "multiple_choice":
        return ", ".join(labels.get(str(v), str(v)) for v in value)
    if question.type == "single_choice":
        return labels.get(str(value), str(value))
    if question.type == "scale" and question.scale is not None:
        return f"{value} ({question.scale.min}–{question.scale.max})"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
