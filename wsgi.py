"""WSGI entry point: `gunicorn wsgi:app` (set SURVEY_PROXY_COUNT behind a reverse proxy)."""

from survey import create_app
from survey.web.security import behind_proxy

app = behind_proxy(create_app())
