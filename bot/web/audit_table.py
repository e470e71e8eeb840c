"""The audit log's latest entries as an HTML table, for the insights page."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from markupsafe import Markup

from bot.i18n import Lang
from bot.store.audit import AuditEntry
from bot.web.i18n import text

__all__ = ["AUDIT_ROWS", "render_audit"]

#: How many entries the page shows (``replique audit`` exports them all).
AUDIT_ROWS = 50

_OUTCOME_KEYS = {
    "applied": "web.audit_applied",
    "refused": "web.audit_refused",
    "not_reviewer": "web.audit_not_reviewer",
}
_COLUMNS = (
    "web.audit_when",
    "web.audit_who",
    "web.audit_platform",
    "web.audit_action",
    "web.audit_outcome",
    "web.audit_reason",
    "web.audit_card",
)


def render_audit(entries: Sequence[AuditEntry], *, lang: Lang, zone: str = "UTC") -> Markup:
    """A panel with one row per entry, newest first; every value is escaped (an actor id comes
    from a platform payload)."""
    tz = ZoneInfo(zone)
    title = text("web.audit_title", lang)
    if not entries:
        body = Markup('<p class="empty">{}</p>').format(text("web.audit_empty", lang))
    else:
        head = Markup("").join(
            Markup('<th scope="col">{}</th>').format(text(key, lang)) for key in _COLUMNS
        )
        rows = Markup("").join(
            Markup(
                '<tr class="audit-{}"><td><time datetime="{}">{}</time></td><td>{}</td>'
                "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>"
            ).format(
                entry.outcome,
                entry.at.isoformat(),
                entry.at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S"),
                entry.actor,
                entry.platform,
                entry.action,
                text(_OUTCOME_KEYS[entry.outcome], lang)
                if entry.outcome in _OUTCOME_KEYS
                else entry.outcome,
                entry.reason or "",
                "" if entry.card_id is None else entry.card_id,
            )
            for entry in entries
        )
        body = Markup(
            '<div class="audit-scroll"><table class="audit"><thead><tr>{}</tr></thead>'
            "<tbody>{}</tbody></table></div>"
        ).format(head, rows)
    return Markup(
        '<section class="panel" aria-labelledby="panel-audit">'
        '<h2 id="panel-audit">{}</h2>{}</section>'
    ).format(title, body)
