"""Static SVG for the printable report: no JavaScript, no kaleido, just shapes and text."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from html import escape
from typing import Any

from survey.charts.trend import GRADE_SHADES, PALETTE
from survey.stats.grades import round_half_up
from survey.stats.priority import IMPROVE_IF_POSSIBLE, LOWER_PRIORITY, MAINTAIN, PRIORITISE

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 96, 12, 36


def _y(value: float) -> float:
    """Map an index 0-100 to the plot's vertical pixel position."""
    return TOP + (100.0 - value) / 100.0 * (HEIGHT - TOP - BOTTOM)


def trend_svg(
    groups: Sequence[Mapping[str, Any]], *, title: str, suppressed_label: str = "för få svar"
) -> str:
    """Draw one index per period: grade bands, the interval as a band, the mean as a line."""
    periods = [str(g["period"]) for g in groups]
    inner = WIDTH - LEFT - RIGHT
    step = inner / max(len(periods), 1)
    xs = [LEFT + step * (i + 0.5) for i in range(len(periods))]
    parts = [_open(title)]
    for low, high, name, fill in GRADE_SHADES:
        parts.append(
            f'<rect x="{LEFT}" y="{_y(high):.1f}" width="{inner}" '
            f'height="{_y(low) - _y(high):.1f}" fill="{fill}"/>'
        )
        parts.append(
            f'<text x="{WIDTH - RIGHT + 4}" y="{_y((low + high) / 2) + 4:.1f}" '
            f'font-size="11" fill="#4a4f57">{escape(name)}</text>'
        )
    for tick in (0, 25, 50, 75, 100):
        parts.append(
            f'<text x="{LEFT - 6}" y="{_y(tick) + 4:.1f}" font-size="11" '
            f'text-anchor="end" fill="#4a4f57">{tick}</text>'
        )
    for run in _runs(groups, xs):
        upper = " ".join(f"{x:.1f},{_y(g['ci_high']):.1f}" for x, g in run)
        lower = " ".join(f"{x:.1f},{_y(g['ci_low']):.1f}" for x, g in reversed(run))
        parts.append(f'<polygon points="{upper} {lower}" fill="{PALETTE[0]}" fill-opacity="0.22"/>')
        line = " ".join(f"{x:.1f},{_y(g['mean']):.1f}" for x, g in run)
        parts.append(
            f'<polyline points="{line}" fill="none" stroke="{PALETTE[0]}" stroke-width="2.5"/>'
        )
    for x, group, period in zip(xs, groups, periods, strict=True):
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - 14}" font-size="11" text-anchor="middle" '
            f'fill="#1b1b1f">{escape(period)}</text>'
        )
        if _shown(group):
            parts.append(
                f'<circle cx="{x:.1f}" cy="{_y(group["mean"]):.1f}" r="4" fill="{PALETTE[0]}"/>'
            )
            parts.append(
                f'<text x="{x:.1f}" y="{_y(group["mean"]) - 8:.1f}" font-size="11" '
                f'text-anchor="middle">{round_half_up(group["mean"])}</text>'
            )
        else:
            parts.append(
                f'<text x="{x:.1f}" y="{_y(8):.1f}" font-size="11" text-anchor="middle" '
                f'fill="#4a4f57">{escape(suppressed_label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _shown(group: Mapping[str, Any]) -> bool:
    return not group.get("suppressed") and group.get("mean") is not None


def _runs(
    groups: Sequence[Mapping[str, Any]], xs: Sequence[float]
) -> list[list[tuple[float, Mapping[str, Any]]]]:
    """Split the periods into runs of consecutive groups that have an interval."""
    runs: list[list[tuple[float, Mapping[str, Any]]]] = [[]]
    for x, group in zip(xs, groups, strict=True):
        if _shown(group) and group.get("ci_low") is not None:
            runs[-1].append((x, group))
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if run]


def bars_svg(
    rows: Sequence[tuple[str, float | None]], *, title: str, suppressed_label: str = "för få svar"
) -> str:
    """Draw one horizontal bar per row on the 0-100 scale; None shows ``suppressed_label``."""
    label_width, bar_height, gap = 190, 18, 8
    height = TOP + len(rows) * (bar_height + gap) + 8
    inner = WIDTH - label_width - 60
    parts = [_open(title, height=height)]
    for number, (label, value) in enumerate(rows):
        y = TOP + number * (bar_height + gap)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 13}" font-size="12" '
            f'text-anchor="end">{escape(label)}</text>'
        )
        if value is None:
            parts.append(
                f'<text x="{label_width}" y="{y + 13}" font-size="12" '
                f'fill="#4a4f57">{escape(suppressed_label)}</text>'
            )
            continue
        width = max(0.0, min(100.0, value)) / 100.0 * inner
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{width:.1f}" '
            f'height="{bar_height}" fill="{PALETTE[0]}"/>'
        )
        parts.append(
            f'<text x="{label_width + width + 6:.1f}" y="{y + 13}" '
            f'font-size="12">{round_half_up(value)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _open(title: str, *, height: int = HEIGHT) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" '
        'font-family="system-ui, sans-serif">'
    )


def priority_svg(
    points: Sequence[tuple[str, float, float]],
    *,
    title: str,
    x_title: str,
    y_title: str,
) -> str:
    """Draw the priority matrix: (name, index, effect) points, split at the means, quadrants named.

    The ranges, split lines and quadrant names are those of the interactive chart
    (``compare.priority_figure``): Prioritera top left, Bevara top right, Förbättra om möjligt
    bottom left, Lägre prioritet bottom right.
    """
    at = _plane([p[1] for p in points], [p[2] for p in points])
    x0, x1, y0, y1 = PLANE
    mean_x, mean_y = at(
        sum(p[1] for p in points) / len(points), sum(p[2] for p in points) / len(points)
    )
    dash = 'stroke="#4a4f57" stroke-dasharray="4 3"'
    parts = [
        _open(title),
        f'<rect x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}" fill="none" '
        'stroke="#c9ccd1"/>',
        f'<line x1="{mean_x:.1f}" y1="{y0}" x2="{mean_x:.1f}" y2="{y1}" {dash}/>',
        f'<line x1="{x0}" y1="{mean_y:.1f}" x2="{x1}" y2="{mean_y:.1f}" {dash}/>',
    ]
    corners = (
        (PRIORITISE, x0 + 6, y0 + 16, "start"),
        (MAINTAIN, x1 - 6, y0 + 16, "end"),
        (IMPROVE_IF_POSSIBLE, x0 + 6, y1 - 8, "start"),
        (LOWER_PRIORITY, x1 - 6, y1 - 8, "end"),
    )
    for text, x, y, anchor in corners:
        parts.append(
            f'<text x="{x}" y="{y}" font-size="12" font-weight="bold" '
            f'text-anchor="{anchor}">{escape(text)}</text>'
        )
    for name, index, effect in points:
        x, y = at(index, effect)
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{PALETTE[0]}"/>')
        parts.append(
            f'<text x="{x:.1f}" y="{y - 9:.1f}" font-size="11" text-anchor="middle">'
            f"{escape(name)}</text>"
        )
    parts.extend(_axis_titles(x_title, y_title))
    parts.append("</svg>")
    return "".join(parts)


#: The plotting area of the priority matrix: left, right, top and bottom pixel positions.
PLANE = (LEFT + 10, WIDTH - 20, TOP, HEIGHT - BOTTOM)


def _plane(
    xs: Sequence[float], ys: Sequence[float]
) -> Callable[[float, float], tuple[float, float]]:
    """Return a map from (index, effect) to pixels, padded as the interactive chart is."""
    pad_x = max(5.0, (max(xs) - min(xs)) * 0.25)
    pad_y = max(0.5, (max(ys) - min(ys)) * 0.25)
    left, right = min(xs) - pad_x, max(xs) + pad_x
    bottom, top = min(min(ys) - pad_y, 0.0), max(ys) + pad_y
    x0, x1, y0, y1 = PLANE

    def at(x: float, y: float) -> tuple[float, float]:
        return (
            x0 + (x - left) / (right - left) * (x1 - x0),
            y1 - (y - bottom) / (top - bottom) * (y1 - y0),
        )

    return at


def _axis_titles(x_title: str, y_title: str) -> list[str]:
    x0, x1, y0, y1 = PLANE
    middle = (y0 + y1) / 2
    return [
        f'<text x="{(x0 + x1) / 2:.1f}" y="{HEIGHT - 8}" font-size="11" text-anchor="middle" '
        f'fill="#4a4f57">{escape(x_title)}</text>',
        f'<text x="14" y="{middle:.1f}" font-size="11" text-anchor="middle" fill="#4a4f57" '
        f'transform="rotate(-90 14 {middle:.1f})">{escape(y_title)}</text>',
    ]
