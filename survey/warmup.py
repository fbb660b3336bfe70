"""Warm a server process before it takes requests.

The dashboard's first request in a fresh process paid for scipy's import, plotly's lazily
loaded figure validators and Jinja's template compilation (1.0-1.4 s on the 2-core machine,
later requests 0.06-0.3 s). Gunicorn calls `warm` in each worker before it accepts
connections (gunicorn.conf.py), so no user waits for it.
"""

from __future__ import annotations

from flask import Flask


def warm(app: Flask) -> None:
    """Import what statistics and charts need, build one figure, compile every template."""
    import plotly.graph_objects as go
    from scipy import special, stats  # noqa: F401 - imported for their side effect

    figure = go.Figure([go.Scatter(x=[1, 2], y=[1, 2], error_y={"array": [0.1, 0.1]})])
    figure.add_trace(go.Bar(x=["a"], y=[1], text=["1"]))
    figure.update_layout(separators=", ", xaxis={"title": {"text": "x"}}, shapes=[], annotations=[])
    figure.to_json()
    for name in app.jinja_env.list_templates(extensions=("html", "txt")):
        app.jinja_env.get_template(name)
