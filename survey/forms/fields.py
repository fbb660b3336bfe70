"""WTForms fields of the questionnaire engine: choices validated by the engine, not WTForms.

The radio buttons and checkboxes of a questionnaire are most of its HTML (a page of scale
questions has dozens), so their inputs and labels are rendered by `html_attributes`, which
writes exactly what WTForms' `html_params` writes without its slow `Markup.format`.
"""

from __future__ import annotations

from typing import Any

import wtforms
from markupsafe import Markup, escape
from wtforms.fields.core import Label
from wtforms.widgets import CheckboxInput, DateInput, ListWidget, NumberInput, RadioInput
from wtforms.widgets.core import clean_key


def html_attributes(**attributes: Any) -> Markup:
    """Return HTML attributes sorted by name, as `wtforms.widgets.html_params` does.

    True gives a bare attribute, False leaves it out; values are escaped.
    """
    params = []
    for key, value in sorted(attributes.items()):
        if value is True:
            params.append(clean_key(key))
        elif value is not False:
            params.append(f'{clean_key(key)}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    return Markup(" ".join(params))


class ChoiceLabel(Label):
    """The label of one radio button or checkbox."""

    def __call__(self, text: str | None = None, **attributes: Any) -> Markup:
        if "for_" in attributes:
            attributes["for"] = attributes.pop("for_")
        else:
            attributes.setdefault("for", self.field_id)
        params = html_attributes(**attributes)
        return Markup(f"<label{' ' if params else ''}{params}>{escape(text or self.text)}</label>")


class _ChoiceOption(wtforms.SelectFieldBase._Option):
    """One radio button or checkbox of a choice field, with the fast label."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label = ChoiceLabel(self.label.field_id, self.label.text)


class _RadioOption(RadioInput):
    html_params = staticmethod(html_attributes)


class _CheckboxOption(CheckboxInput):
    html_params = staticmethod(html_attributes)


class RadioField(wtforms.RadioField):
    """A radio group that may be left empty; the engine's check validates the choice.

    Keeps the class name RadioField: the `field` macro renders fields by type name.
    """

    option_widget = _RadioOption()
    _Option = _ChoiceOption

    def pre_validate(self, form: Any) -> None:
        """Leave choice validation to the engine (an unanswered optional question is fine)."""


class MultiCheckboxField(wtforms.SelectMultipleField):
    """Checkboxes for a multiple-choice question (rendered as a fieldset by the `field` macro)."""

    widget = ListWidget(prefix_label=False)
    option_widget = _CheckboxOption()
    _Option = _ChoiceOption

    def pre_validate(self, form: Any) -> None:
        """Leave choice validation to the engine."""


class NumberTextField(wtforms.StringField):
    """A number input that keeps exactly what was typed (the engine parses "2,5" too)."""

    widget = NumberInput()


class DateTextField(wtforms.StringField):
    """A date input that keeps exactly what was typed; the engine checks the ISO date."""

    widget = DateInput()
