"""Static forms of the respondent pages (the questionnaire pages are generated)."""

from __future__ import annotations

from flask_wtf import FlaskForm


class SubmitForm(FlaskForm):
    """The review page's submit button (CSRF only)."""
