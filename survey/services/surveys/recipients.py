"""Choosing a survey's recipients: by a rule, by picking companies, or by a list of
organisationsnummer; first a preview of who will be invited and who is excluded and why,
then the invitations.

The preview and the invitation apply the same rules (`_sort`), so what the official confirmed
is what happens; a company that opted out or got invited between the two is excluded then.
Only register data is shown (name, organisation number, whether it has an address): never
how a company answered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from survey.extensions import db
from survey.mail.compose import placeholders_in
from survey.models import Company, Invitation, Survey, Visit
from survey.services import audit
from survey.services.batteries.mapping import version_definition
from survey.services.errors import DomainError
from survey.services.surveys.invitations import create_invitation
from survey.services.surveys.surveys import (
    TEXT_FIELDS,
    check_contact_request,
    get_survey,
    is_closed,
)

RECIPIENT_MODES = ("visited", "area", "industry", "all")
#: Why a chosen company is not invited, in the order they are checked.
EXCLUSIONS = {
    "opted_out": _l("Opted out of survey mail"),
    "no_email": _l("No e-mail address"),
    "already_invited": _l("Already invited to this survey"),
}


@dataclass(frozen=True)
class RecipientFilter:
    """A rule choosing companies of the register."""

    mode: str = "all"
    visited_from: date | None = None
    visited_to: date | None = None
    service_area_id: int | None = None
    sni_section: str | None = None


@dataclass(frozen=True)
class Picked:
    """Companies the official picked one by one (by search or from a list)."""

    company_ids: tuple[int, ...]


Selection = RecipientFilter | Picked


@dataclass(frozen=True)
class Candidate:
    """A chosen company (register data only), the visit it was chosen by, and why it is
    excluded (a key of EXCLUSIONS; None when it will be invited)."""

    company_id: int
    name: str
    org_number: str
    visit_id: int | None = None
    exclusion: str | None = None

    @property
    def reason(self) -> str:
        """Return why the company is excluded, in the user's language."""
        return str(EXCLUSIONS[self.exclusion]) if self.exclusion else ""


@dataclass(frozen=True)
class Preview:
    """Who a selection invites and who it excludes."""

    invite: list[Candidate] = field(default_factory=list)
    excluded: list[Candidate] = field(default_factory=list)

    def excluded_count(self, reason: str) -> int:
        """Return how many chosen companies are excluded for a reason."""
        return sum(1 for c in self.excluded if c.exclusion == reason)


@dataclass(frozen=True)
class InviteResult:
    """How many companies were invited and how many skipped (and why)."""

    invited: int = 0
    skipped: dict[str, int] = field(default_factory=dict)


def _visits_query(criteria: RecipientFilter) -> Select[tuple[Visit]] | None:
    """Return the visits that choose the companies; None when they are not chosen by visit."""
    if criteria.mode == "visited":
        if criteria.visited_from is None or criteria.visited_to is None:
            raise DomainError(_("Give the period of the visits."), field="visited_from")
        query = select(Visit).where(
            Visit.visit_date >= criteria.visited_from, Visit.visit_date <= criteria.visited_to
        )
        if criteria.service_area_id is not None:
            query = query.where(Visit.service_area_id == criteria.service_area_id)
        return query
    if criteria.mode == "area":
        if criteria.service_area_id is None:
            raise DomainError(_("Choose a service area."), field="service_area_id")
        return select(Visit).where(Visit.service_area_id == criteria.service_area_id)
    return None


def _latest_visits(query: Select[tuple[Visit]]) -> dict[int, int]:
    """Return each company's latest visit (its id) among those the query selects."""
    ordered = query.order_by(Visit.company_id, Visit.visit_date.desc(), Visit.id.desc())
    latest: dict[int, int] = {}
    for visit in db.session.scalars(ordered):
        latest.setdefault(visit.company_id, visit.id)
    return latest


def _chosen(selection: Selection) -> list[tuple[Company, int | None]]:
    """Return the chosen companies, each with the visit it was chosen by (None if not by visit).

    A company chosen by its visits is invited about its latest matching visit, so the mail's
    {visit_date} is that visit's date and the answer is linked to the visit (and its area).
    Picked companies come in the order picked.
    """
    if isinstance(selection, Picked):
        ids = list(dict.fromkeys(selection.company_ids))
        found = {c.id: c for c in db.session.scalars(select(Company).where(Company.id.in_(ids)))}
        return [(found[i], None) for i in ids if i in found]
    visits = _visits_query(selection)
    query = select(Company)
    if visits is not None:
        query = query.where(Company.id.in_(visits.with_only_columns(Visit.company_id)))
    elif selection.mode == "industry":
        if not selection.sni_section:
            raise DomainError(_("Choose an industry section."), field="sni_section")
        query = query.where(Company.sni_section == selection.sni_section)
    elif selection.mode != "all":
        raise DomainError(_("Choose how to select the companies."), field="mode")
    companies = list(db.session.scalars(query.order_by(Company.name, Company.id)))
    latest = _latest_visits(visits) if visits is not None else {}
    return [(company, latest.get(company.id)) for company in companies]


def _check_visit_date_use(survey: Survey, selection: Selection) -> None:
    """Refuse a closed survey, and companies not chosen by visit when the mail texts name the
    visit's date."""
    if is_closed(survey):
        raise DomainError(_("The survey has closed."), field="mode")
    if isinstance(selection, RecipientFilter) and selection.mode in ("visited", "area"):
        return
    if any("visit_date" in placeholders_in(getattr(survey, name) or "") for name in TEXT_FIELDS):
        raise DomainError(
            _(
                "The mail texts use {visit_date}, which only companies chosen by their visits "
                "have. Choose the companies by their visits, or remove {visit_date}."
            ),
            field="mode",
        )


def _sort(survey: Survey, chosen: list[tuple[Company, int | None]]) -> Preview:
    """Split the chosen companies into those to invite and those excluded (with the reason)."""
    invited = set(
        db.session.scalars(select(Invitation.company_id).where(Invitation.survey_id == survey.id))
    )
    preview = Preview()
    for company, visit_id in chosen:
        if company.opted_out:
            exclusion: str | None = "opted_out"
        elif not company.contact_email:
            exclusion = "no_email"
        elif company.id in invited:
            exclusion = "already_invited"
        else:
            exclusion = None
            invited.add(company.id)
        candidate = Candidate(company.id, company.name, company.org_number, visit_id, exclusion)
        (preview.excluded if exclusion else preview.invite).append(candidate)
    return preview


def _check_contact_requests(survey: Survey) -> None:
    """An anonymous survey made before its battery could ask for contact is stopped here too."""
    definition = version_definition(survey.battery_version)
    check_contact_request(definition, anonymous=survey.anonymous)


def preview(survey_id: int, selection: Selection) -> Preview:
    """Return whom a selection would invite and whom it excludes, writing nothing."""
    survey = get_survey(survey_id)
    _check_contact_requests(survey)
    _check_visit_date_use(survey, selection)
    return _sort(survey, _chosen(selection))


def invite_recipients(
    survey_id: int, selection: Selection, *, actor_id: int | None
) -> InviteResult:
    """Invite the chosen companies, skipping opted-out ones, those without e-mail and repeats."""
    survey = get_survey(survey_id)
    _check_contact_requests(survey)
    _check_visit_date_use(survey, selection)
    chosen = _chosen(selection)
    result = _sort(survey, chosen)
    companies = {company.id: company for company, _visit in chosen}
    visits = {v.id: v for v in db.session.scalars(select(Visit).where(
        Visit.id.in_([c.visit_id for c in result.invite if c.visit_id is not None])))}  # fmt: skip
    for candidate in result.invite:
        visit = visits.get(candidate.visit_id) if candidate.visit_id else None
        create_invitation(survey, companies[candidate.company_id], visit=visit)
    invited = len(result.invite)
    audit.record(
        "survey.invite", user_id=actor_id, object_type="survey", object_id=survey.id, count=invited
    )
    db.session.commit()
    skipped = {reason: result.excluded_count(reason) for reason in EXCLUSIONS}
    return InviteResult(invited=invited, skipped=skipped)


def invited_company_ids(survey_id: int) -> set[int]:
    """Return the ids of the companies invited to a survey."""
    query = select(Invitation.company_id).where(Invitation.survey_id == survey_id)
    return set(db.session.scalars(query))
