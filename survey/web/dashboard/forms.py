"""The dashboard's filter form: a GET form whose values live in the URL."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SearchField, SelectField, StringField

from survey.i18n import current_language
from survey.models.company import SIZE_CLASSES
from survey.services.dashboards.dashboard import Choices
from survey.sni import SECTIONS
from survey.web.dashboard.panels import factor_name

ALL = ("", _l("All"))


def _select(label: str) -> SelectField:
    # Values are checked by the statistics service, which names the field it refuses.
    return SelectField(label, choices=[], validate_choice=False)


class FilterForm(FlaskForm):
    """Which answers every chart on the page covers, and how they are grouped."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    battery = _select(_l("Question battery"))
    index = _select(_l("Index"))
    survey_id = _select(_l("Survey"))
    date_from = StringField(_l("From date"), render_kw={"type": "date"})
    date_to = StringField(_l("To date"), render_kw={"type": "date"})
    by = _select(_l("Period"))
    area = _select(_l("Service area"))
    industry = _select(_l("Industry"))
    size = _select(_l("Company size"))
    official_id = _select(_l("Official"))
    mode = _select(_l("Collection mode"))
    compare = _select(_l("Compare by"))
    question = _select(_l("Question"))
    q = SearchField(_l("Search in comments"))

    def set_choices(self, choices: Choices) -> None:
        """Fill the option lists from the database's batteries, surveys, areas and officials."""
        english = current_language() == "en"
        self.battery.choices = choices.batteries
        self.survey_id.choices = [ALL, *choices.surveys]
        self.by.choices = [("month", _l("Month")), ("quarter", _l("Quarter")), ("year", _l("Year"))]
        self.area.choices = [
            ALL,
            *((k, en if english and en else sv) for k, sv, en in choices.areas),
        ]
        self.industry.choices = [
            ALL,
            *((s.letter, f"{s.letter} {s.name_en if english else s.name_sv}") for s in SECTIONS),
        ]
        self.size.choices = [ALL, *((s, s) for s in SIZE_CLASSES)]
        self.official_id.choices = [ALL, *choices.officials]
        self.mode.choices = [
            ALL,
            ("web", _l("Web")),
            ("interview", _l("Interview")),
            ("import", _l("Import")),
        ]
        self.compare.choices = [
            ("area", _l("Service area")),
            ("industry", _l("Industry")),
            ("size", _l("Company size")),
        ]
        self.index.choices = [(role, factor_name(role)) for role in choices.indices]
        self.question.choices = [
            (k, en if english and en else sv) for k, sv, en in choices.questions
        ]
