"""Gunicorn settings, read from the directory gunicorn starts in (`gunicorn wsgi:app`).

Token links (`/s/<token>`, `/account/reset/<token>`) are masked in the access and error
logs: a log must not hold a working link.
"""

logger_class = "survey.gunicorn_logger.TokenMaskingLogger"
