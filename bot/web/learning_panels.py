"""The insights page's learning panels: acceptance per template per week, blast warnings per
day, and the edits reviewers keep making (with their diff), in the reader's language.

Everything that comes from the store is text for the page, never markup: ``Markup.format``
escapes it, so an edit that says ``<script>`` shows as typed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from itertools import count
from zoneinfo import ZoneInfo

from markupsafe import Markup

from bot.domain import TrackRecord
from bot.i18n import Lang
from bot.review.suggestions import EditGroup
from bot.store.insights import DailyCount
from bot.store.learning import WeeklyAcceptance
from bot.web.charts import Columns, Series, legend, stacked_columns
from bot.web.i18n import text

__all__ = ["render_learning", "zone_days"]

_ids = count(1)
#: How many edit groups and templates the page lists at most.
_MAX_GROUPS = 5
_MAX_TEMPLATES = 15


def _section(title: str, body: Markup | None, lang: Lang) -> Markup:
    ident = f"learning-{next(_ids)}"
    shown = (
        body
        if body is not None
        else Markup('<p class="empty">{}</p>').format(text("web.no_data", lang))
    )
    return Markup(
        '<section class="panel" aria-labelledby="{0}"><h2 id="{0}">{1}</h2>{2}</section>'
    ).format(ident, title, shown)


def _share(record: TrackRecord) -> str:
    return f"{record.sent / record.decided:.0%}" if record.decided else "–"


def _acceptance(rows: Sequence[WeeklyAcceptance], lang: Lang) -> Markup | None:
    if not rows:
        return None
    weeks = sorted({r.week for r in rows})
    by_template: dict[str, dict[date, TrackRecord]] = defaultdict(dict)
    for row in rows:
        by_template[row.template][row.week] = row.record
    busiest = sorted(
        by_template, key=lambda k: (-sum(r.decided for r in by_template[k].values()), k)
    )[:_MAX_TEMPLATES]
    head = Markup("").join(Markup("<th scope='col'>{}</th>").format(w.isoformat()) for w in weeks)
    body = []
    for template in busiest:
        cells = []
        for week in weeks:
            record = by_template[template].get(week)
            if record is None:
                cells.append(Markup("<td>–</td>"))
                continue
            tip = text("web.acceptance_tip", lang, sent=record.sent, decided=record.decided)
            cells.append(Markup('<td title="{}">{}</td>').format(tip, _share(record)))
        body.append(
            Markup("<tr><th scope='row'>{}</th>{}</tr>").format(template, Markup("").join(cells))
        )
    return Markup(
        '<p class="note">{}</p><table class="acceptance"><thead><tr><th scope="col">{}</th>{}'
        "</tr></thead><tbody>{}</tbody></table>"
    ).format(
        text("web.acceptance_note", lang),
        text("web.acceptance_template", lang),
        head,
        Markup("").join(body),
    )


def _blasts(counts: Sequence[DailyCount], days: tuple[date, ...], lang: Lang) -> Markup | None:
    if not counts:
        return None
    index = {day: i for i, day in enumerate(days)}
    warned = [0.0] * len(days)
    sent = [0.0] * len(days)
    for item in counts:
        if item.day not in index:
            continue
        target = sent if item.key == "sent" else warned
        target[index[item.day]] += item.count
    held = tuple(w - s for w, s in zip(warned, sent, strict=True))
    series = (
        Series(label=text("web.blast_sent", lang), colour="#b3261e", values=tuple(sent)),
        Series(label=text("web.blast_held", lang), colour="#9e7000", values=held),
    )
    title = text("web.chart_blasts", lang)
    chart = stacked_columns(
        Columns(title=title, description=title, days=days, series=series),
        tip=lambda label, value: text("web.chart_total", lang, label=label, count=int(value)),
    )
    return chart + legend(series)


def _diff(group: EditGroup) -> Markup:
    pieces = []
    for piece in group.diff():
        if piece.kind == "delete":
            pieces.append(Markup("<del>{}</del>").format(piece.text))
        elif piece.kind == "insert":
            pieces.append(Markup("<ins>{}</ins>").format(piece.text))
        else:
            pieces.append(Markup("{}").format(piece.text))
    return Markup('<pre class="diff">{}</pre>').format(Markup("").join(pieces))


def _edits(groups: Sequence[EditGroup], lang: Lang) -> Markup | None:
    if not groups:
        return None
    items = [
        Markup("<li><p>{}</p>{}</li>").format(
            text("web.edit_group", lang, template=g.template, count=g.count), _diff(g)
        )
        for g in groups[:_MAX_GROUPS]
    ]
    return Markup('<p class="note">{}</p><ol class="edit-groups">{}</ol>').format(
        text("web.edit_groups_note", lang), Markup("").join(items)
    )


def render_learning(
    *,
    acceptance: Sequence[WeeklyAcceptance],
    blasts: Sequence[DailyCount],
    groups: Sequence[EditGroup],
    since: date,
    until: date,
    lang: Lang,
) -> Markup:
    """The three learning panels, for the days ``since`` to ``until`` (brand's time zone)."""
    days = tuple(since + timedelta(days=i) for i in range((until - since).days + 1))
    return Markup("").join(
        (
            _section(text("web.chart_acceptance", lang), _acceptance(acceptance, lang), lang),
            _section(text("web.chart_blasts", lang), _blasts(blasts, days, lang), lang),
            _section(text("web.chart_edits", lang), _edits(groups, lang), lang),
        )
    )


def zone_days(since: datetime, until: datetime, zone: str) -> tuple[date, date]:
    """The first and last day of a window in the brand's time zone."""
    tz = ZoneInfo(zone)
    return since.astimezone(tz).date(), until.astimezone(tz).date()
