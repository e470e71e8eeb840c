"""The insights page's charts, from the store's ``Insights`` to SVG, in the reader's language."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from itertools import count
from zoneinfo import ZoneInfo

from markupsafe import Markup

from bot.domain import SENTIMENTS
from bot.i18n import Lang
from bot.store.insights import OFFER_REASON_KEYS, DailyCount, Insights, Outcomes
from bot.web.charts import PALETTE, Bars, Columns, Series, legend, stacked_bars, stacked_columns
from bot.web.i18n import text
from bot.web.promotions_table import render_promotions

__all__ = ["duration", "render_insights"]

_SENTIMENT_COLOURS = {"negative": "#b3261e", "neutral": "#5f6368", "positive": "#1e7b34"}
_SENTIMENT_KEYS = {
    "negative": "web.sentiment_negative",
    "neutral": "web.sentiment_neutral",
    "positive": "web.sentiment_positive",
}
_sections = count(1)
_OUTCOME_COLOURS = ("#1e7b34", "#9e7000", "#b3261e")


def duration(seconds: float) -> str:
    """A wait as a person says it: "42 s", "3 min 05 s", "2 h 10 min", "3 d 4 h"."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes:02d} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"


def _days(insights: Insights, zone: ZoneInfo) -> tuple[date, ...]:
    first = insights.since.astimezone(zone).date()
    last = insights.until.astimezone(zone).date()
    return tuple(first + timedelta(days=i) for i in range((last - first).days + 1))


def _daily_series(
    counts: Sequence[DailyCount], days: tuple[date, ...], keys: Sequence[str], colours: list[str]
) -> tuple[Series, ...]:
    index = {day: i for i, day in enumerate(days)}
    values = {key: [0.0] * len(days) for key in keys}
    for item in counts:
        if item.day in index and item.key in values:
            values[item.key][index[item.day]] += item.count
    return tuple(
        Series(label=key, colour=colour, values=tuple(values[key]))
        for key, colour in zip(keys, colours, strict=True)
    )


def _section(title: str, chart: Markup | None, key: Markup | None, lang: Lang) -> Markup:
    ident = f"panel-{next(_sections)}"
    body = (
        chart
        if chart is not None
        else Markup('<p class="empty">{}</p>').format(text("web.no_data", lang))
    )
    return Markup(
        '<section class="panel" aria-labelledby="{0}"><h2 id="{0}">{1}</h2>{2}{3}</section>'
    ).format(ident, title, body, key or "")


def _outcome_chart(rows: Sequence[Outcomes], title: str, lang: Lang) -> Markup:
    labels = (
        text("web.outcome_sent", lang),
        text("web.outcome_edited", lang),
        text("web.outcome_discarded", lang),
    )
    if not rows:
        return _section(title, None, None, lang)
    series = tuple(
        Series(label=label, colour=colour, values=tuple(float(v) for v in values))
        for label, colour, values in zip(
            labels,
            _OUTCOME_COLOURS,
            ([r.sent for r in rows], [r.edited for r in rows], [r.discarded for r in rows]),
            strict=True,
        )
    )
    chart = stacked_bars(
        Bars(title=title, description=title, rows=tuple(r.key for r in rows), series=series),
        tip=lambda label, value: text("web.chart_total", lang, label=label, count=int(value)),
    )
    return _section(title, chart, legend(series), lang)


def render_insights(insights: Insights, *, lang: Lang, days: int, zone: str = "UTC") -> Markup:
    """The page's body: an introduction line and one panel per chart."""
    tz = ZoneInfo(zone)
    count_tip = lambda label, value: text(  # noqa: E731 - a one-line formatter
        "web.chart_total", lang, label=label, count=int(value)
    )
    parts = [
        Markup('<p class="intro">{}</p>').format(
            text(
                "web.insights_intro",
                lang,
                days=days,
                messages=insights.messages,
                decisions=insights.decisions,
            )
        )
    ]
    span = _days(insights, tz)

    # Messages per intent per day: the busiest intents get the most distinct colours.
    totals: dict[str, int] = {}
    for item in insights.messages_by_intent:
        totals[item.key] = totals.get(item.key, 0) + item.count
    intents = sorted(totals, key=lambda k: (-totals[k], k))[: len(PALETTE)]
    title = text("web.chart_intents", lang)
    if intents:
        series = _daily_series(
            insights.messages_by_intent, span, intents, list(PALETTE[: len(intents)])
        )
        chart = stacked_columns(
            Columns(title=title, description=title, days=span, series=series), tip=count_tip
        )
        parts.append(_section(title, chart, legend(series), lang))
    else:
        parts.append(_section(title, None, None, lang))

    title = text("web.chart_sentiment", lang)
    if insights.messages_by_sentiment:
        names = list(SENTIMENTS)
        series = _daily_series(
            insights.messages_by_sentiment, span, names, [_SENTIMENT_COLOURS[s] for s in names]
        )
        # Shown in the reader's language; the store keeps the analyser's labels.
        series = tuple(
            Series(label=text(_SENTIMENT_KEYS[s.label], lang), colour=s.colour, values=s.values)
            for s in series
        )
        chart = stacked_columns(
            Columns(title=title, description=title, days=span, series=series), tip=count_tip
        )
        parts.append(_section(title, chart, legend(series), lang))
    else:
        parts.append(_section(title, None, None, lang))

    parts.append(
        _outcome_chart(insights.outcomes_by_template, text("web.chart_templates", lang), lang)
    )
    parts.append(
        _outcome_chart(insights.outcomes_by_intent, text("web.chart_outcome_intents", lang), lang)
    )

    title = text("web.chart_median", lang)
    if insights.median_decision_seconds is not None:
        overall = Markup('<p class="headline">{}</p>').format(
            text("web.median_overall", lang, duration=duration(insights.median_decision_seconds))
        )
        rows = insights.median_decision_by_intent
        series = (Series(label=title, colour=PALETTE[0], values=tuple(v for _, v in rows)),)
        chart = stacked_bars(
            Bars(title=title, description=title, rows=tuple(k for k, _ in rows), series=series),
            tip=lambda _label, value: duration(value),
            show=duration,
        )
        parts.append(_section(title, overall + chart, None, lang))
    else:
        parts.append(_section(title, None, None, lang))

    title = text("web.chart_offers", lang)
    if insights.offers_blocked:
        labels = tuple(_reason(key, lang) for key, _ in insights.offers_blocked)
        series = (
            Series(
                label=title,
                colour=PALETTE[1],
                values=tuple(float(n) for _, n in insights.offers_blocked),
            ),
        )
        chart = stacked_bars(
            Bars(title=title, description=title, rows=labels, series=series),
            tip=lambda _label, value: str(int(value)),
        )
        parts.append(_section(title, chart, None, lang))
    else:
        parts.append(_section(title, None, None, lang))
    parts.append(render_promotions(insights.promotions, lang=lang, zone=zone))
    return Markup("").join(parts)


def _reason(key: str, lang: Lang) -> str:
    """A policy reason in the reader's words; its details (an intent, a date) vary: "…"."""
    if key not in OFFER_REASON_KEYS:
        return text("web.offer_reason_other", lang)
    return text(key, lang, intent="…", date="…")
