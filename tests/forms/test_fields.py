"""The fast attribute writer of radio buttons and checkboxes writes what WTForms writes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup
from wtforms.widgets import html_params

from survey.forms.fields import html_attributes

KEYS = ("id", "name", "value", "class_", "for_", "data_show_if", "aria_describedby", "checked")
VALUES = st.one_of(
    st.booleans(),
    st.integers(),
    st.text(max_size=20),
    st.sampled_from(['"quoted"', "<b>&amp;</b>", "a'b"]).map(Markup),
)


@given(st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=6))
def test_html_attributes_match_wtforms(attributes) -> None:  # noqa: ANN001
    assert html_attributes(**attributes) == html_params(**attributes)
    assert isinstance(html_attributes(**attributes), Markup)
