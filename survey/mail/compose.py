"""Fill a survey's mail texts ({company}, {visit_date}, {link}, {close_date}) and render them.

The official's text is plain text. The HTML part is built by escaping that text first and
only then turning the known links into anchors, so a company called `<img onerror=...>`
arrives as harmless text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from string import Formatter

from flask import render_template
from flask_babel import force_locale
from markupsafe import Markup, escape

PLACEHOLDERS = ("company", "visit_date", "link", "close_date")


@dataclass(frozen=True)
class Composed:
    """A finished mail text: subject, plain-text body and HTML body."""

    subject: str
    text: str
    html: str


def placeholders_in(template: str) -> list[str]:
    """Return the placeholder names used in a text; raise ValueError on a stray brace."""
    names = []
    for _literal, name, spec, conversion in Formatter().parse(template):
        if name is None:
            continue
        if spec or conversion or not name.isidentifier():
            raise ValueError(name)
        names.append(name)
    return names


def unknown_placeholders(template: str) -> list[str]:
    """Return the placeholders in `template` that are not known (ValueError on bad braces)."""
    return [name for name in placeholders_in(template) if name not in PLACEHOLDERS]


def fill(template: str, values: dict[str, str]) -> str:
    """Replace the placeholders of an already validated text."""
    return template.format_map({name: values.get(name, "") for name in PLACEHOLDERS})


def _html_paragraphs(text: str, links: tuple[str, ...]) -> list[Markup]:
    paragraphs = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        if not block.strip():
            continue
        html = str(escape(block.strip()))
        for link in links:
            escaped = str(escape(link))
            html = html.replace(escaped, f'<a href="{escaped}">{escaped}</a>')
        paragraphs.append(Markup(html.replace("\n", "<br>\n")))
    return paragraphs


def compose(
    *,
    subject: str,
    body: str,
    company: str,
    visit_date: date | None,
    close_date: date,
    link: str,
    optout_url: str,
    language: str,
) -> Composed:
    """Fill the official's subject and body and wrap them in the mail templates."""
    values = {
        "company": company,
        "visit_date": visit_date.isoformat() if visit_date else "",
        "link": link,
        "close_date": close_date.isoformat(),
    }
    filled_subject = " ".join(fill(subject, values).split())
    filled_body = fill(body, values).strip()
    if "{link}" not in body:
        filled_body += f"\n\n{link}"
    context = {
        "body": filled_body,
        "paragraphs": _html_paragraphs(filled_body, (link,)),
        "link": link,
        "optout_url": optout_url,
        "subject": filled_subject,
        "language": language,
    }
    with force_locale(language):
        text = render_template("email/message.txt", **context)
        html = render_template("email/message.html", **context)
    return Composed(subject=filled_subject, text=text, html=html)
