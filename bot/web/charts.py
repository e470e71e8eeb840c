"""Hand-written SVG charts for the insights page: no JavaScript, no library, nothing fetched.

Two shapes cover every chart on the page: stacked columns over days, and stacked horizontal bars
over named rows (templates, intents, reasons). Each chart is an ``<svg role="img">`` with a title
and a one-sentence description for screen readers, and every column or bar segment carries a
``<title>`` with its exact count for whoever points at it. Colours are attributes, not inline
styles, so the page's Content-Security-Policy can forbid inline styles altogether.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import count
from typing import Final

from markupsafe import Markup, escape

__all__ = ["PALETTE", "Bars", "Columns", "Series", "legend", "stacked_bars", "stacked_columns"]

#: Distinct colours, each at least 3:1 against the white background (WCAG 1.4.11 for graphics).
PALETTE: Final[tuple[str, ...]] = (
    "#1f5fa8",
    "#b8461b",
    "#2e7d32",
    "#8e24aa",
    "#00796b",
    "#c2185b",
    "#5d4037",
    "#546e7a",
    "#9e7000",
    "#3949ab",
    "#d84315",
    "#00838f",
    "#6a1b9a",
    "#827717",
    "#37474f",
)
_INK: Final = "#1b1b1b"
_GRID: Final = "#d0d0d0"
_ids = count(1)


@dataclass(frozen=True, slots=True)
class Series:
    """One stacked layer: its label, colour, and one value per column or row."""

    label: str
    colour: str
    values: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class Columns:
    """Stacked columns, one per day."""

    title: str
    description: str
    days: tuple[date, ...]
    series: tuple[Series, ...]


@dataclass(frozen=True, slots=True)
class Bars:
    """Stacked horizontal bars, one per named row."""

    title: str
    description: str
    rows: tuple[str, ...]
    series: tuple[Series, ...]


def _nice_ceiling(value: float) -> float:
    """The axis top: 1, 2 or 5 times a power of ten, at least ``value``."""
    if value <= 0:
        return 1.0
    scale = 1.0
    while scale * 10 <= value:
        scale *= 10
    while scale > value:
        scale /= 10
    for step in (1, 2, 5, 10):
        if step * scale >= value:
            return step * scale
    return 10 * scale


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _open(width: int, height: int, title: str, description: str) -> tuple[list[str], str]:
    ident = f"chart-{next(_ids)}"
    head = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-t">{escape(title)}</title>',
        f'<desc id="{ident}-d">{escape(description)}</desc>',
    ]
    return head, ident


def stacked_columns(chart: Columns, *, tip: Callable[[str, float], str]) -> Markup:
    """One column per day, its series stacked; ``tip(label, value)`` words each segment."""
    width, height = 760, 210
    left, right, top, bottom = 44, 8, 12, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(s.values[i] for s in chart.series) for i in range(len(chart.days))]
    # Counts: an axis to at least 2, so a lone message does not draw a "0.5" gridline.
    ceiling = _nice_ceiling(max(max(totals, default=0), 2))
    parts, _ = _open(width, height, chart.title, chart.description)
    for fraction in (0.0, 0.5, 1.0):
        y = top + plot_h * (1 - fraction)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{_GRID}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="{_INK}">{_number(ceiling * fraction)}</text>'
        )
    slot = plot_w / max(1, len(chart.days))
    label_every = max(1, len(chart.days) // 8)
    for i, day in enumerate(chart.days):
        x = left + i * slot + slot * 0.15
        y = top + plot_h
        for series in chart.series:
            value = series.values[i]
            if value <= 0:
                continue
            h = plot_h * value / ceiling
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" '
                f'fill="{series.colour}"><title>{escape(day.isoformat())} · '
                f"{escape(tip(series.label, value))}</title></rect>"
            )
        if i % label_every == 0 or i == len(chart.days) - 1:
            parts.append(
                f'<text x="{left + (i + 0.5) * slot:.1f}" y="{height - bottom + 16}" '
                f'text-anchor="middle" font-size="11" fill="{_INK}">'
                f"{day:%m-%d}</text>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def stacked_bars(
    chart: Bars, *, tip: Callable[[str, float], str], show: Callable[[float], str] = _number
) -> Markup:
    """One bar per row, its series stacked; the row's total is written at the bar's end."""
    row_h, label_w, value_w = 26, 190, 90
    width = 760
    height = 8 + row_h * max(1, len(chart.rows))
    plot_w = width - label_w - value_w
    totals = [sum(s.values[i] for s in chart.series) for i in range(len(chart.rows))]
    ceiling = max(totals, default=0) or 1.0
    parts, _ = _open(width, height, chart.title, chart.description)
    for i, row in enumerate(chart.rows):
        y = 4 + i * row_h
        parts.append(
            f'<text x="{label_w - 8}" y="{y + row_h / 2 + 4:.1f}" text-anchor="end" '
            f'font-size="12" fill="{_INK}">{escape(row)}</text>'
        )
        x = float(label_w)
        for series in chart.series:
            value = series.values[i]
            if value <= 0:
                continue
            w = plot_w * value / ceiling
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" '
                f'fill="{series.colour}"><title>{escape(row)} · '
                f"{escape(tip(series.label, value))}</title></rect>"
            )
            x += w
        parts.append(
            f'<text x="{x + 6:.1f}" y="{y + row_h / 2 + 4:.1f}" font-size="12" '
            f'fill="{_INK}">{escape(show(totals[i]))}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def legend(series: Sequence[Series]) -> Markup:
    """The colour key under a chart, as a list (a swatch is a tiny SVG, not an inline style)."""
    items = "".join(
        f'<li><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" '
        f'fill="{s.colour}"/></svg> {escape(s.label)}</li>'
        for s in series
    )
    return Markup(f'<ul class="legend">{items}</ul>')
