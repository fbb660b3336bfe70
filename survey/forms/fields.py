"""WTForms fields of the questionnaire engine: choices validated by the engine, not WTForms."""

from __future__ import annotations

from typing import Any

import wtforms
from wtforms.widgets import CheckboxInput, DateInput, ListWidget, NumberInput


class RadioField(wtforms.RadioField):
    """A radio group that may be left empty; the engine's check validates the choice.

    Keeps the class name RadioField: the `field` macro renders fields by type name.
    """

    def pre_validate(self, form: Any) -> None:
        """Leave choice validation to the engine (an unanswered optional question is fine)."""


class MultiCheckboxField(wtforms.SelectMultipleField):
    """Checkboxes for a multiple-choice question (rendered as a fieldset by the `field` macro)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form: Any) -> None:
        """Leave choice validation to the engine."""


class NumberTextField(wtforms.StringField):
    """A number input that keeps exactly what was typed (the engine parses "2,5" too)."""

    widget = NumberInput()


class DateTextField(wtforms.StringField):
    """A date input that keeps exactly what was typed; the engine checks the ISO date."""

    widget = DateInput()
