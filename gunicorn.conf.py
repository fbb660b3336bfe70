"""Gunicorn settings, read from the directory gunicorn starts in (`gunicorn wsgi:app`).

Each worker is warmed before it takes requests (`post_worker_init`, survey.warmup). Token
links (`/s/<token>`, `/account/reset/<token>`) are masked in the access and error logs: a log
must not hold a working link.
"""

logger_class = "survey.gunicorn_logger.TokenMaskingLogger"


def post_worker_init(worker) -> None:  # noqa: ANN001 - gunicorn's Worker
    """Warm each worker before it accepts connections (survey.warmup)."""
    from survey.warmup import warm

    warm(worker.wsgi)
