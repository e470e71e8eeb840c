"""Intent fixes per 100 messages before and after each model promotion, for the insights page.

If a promoted model learned what reviewers kept fixing, they fix less afterwards: this table is
where a team sees it (or sees that a rollback is due, ``replique learn --rollback``).
"""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from markupsafe import Markup

from bot.i18n import Lang
from bot.store.promotions import PromotionEffect
from bot.web.i18n import text

__all__ = ["render_promotions"]

_COLUMNS = (
    "web.promotions_when",
    "web.promotions_language",
    "web.promotions_model",
    "web.promotions_before",
    "web.promotions_after",
)


def _rate(value: float | None, fixed: int, messages: int, lang: Lang) -> str:
    if value is None:
        return "–"
    return text("web.promotions_rate", lang, rate=value, fixed=fixed, messages=messages)


def render_promotions(
    effects: Sequence[PromotionEffect], *, lang: Lang, zone: str = "UTC"
) -> Markup:
    """A panel with one row per promotion, oldest first (every value escaped)."""
    tz = ZoneInfo(zone)
    title = text("web.promotions_title", lang)
    if not effects:
        body = Markup('<p class="empty">{}</p>').format(text("web.promotions_empty", lang))
    else:
        head = Markup("").join(
            Markup('<th scope="col">{}</th>').format(text(key, lang)) for key in _COLUMNS
        )
        rows = Markup("").join(
            Markup(
                '<tr><td><time datetime="{}">{}</time></td><td>{}</td><td>{}{}</td>'
                "<td>{}</td><td>{}</td></tr>"
            ).format(
                effect.promoted_at.isoformat(),
                effect.promoted_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                effect.language,
                effect.model_id,
                text("web.promotions_rolled_back", lang) if effect.rolled_back_at else "",
                _rate(
                    effect.fixes_per_100_before,
                    effect.fixed_before,
                    effect.messages_before,
                    lang,
                ),
                _rate(effect.fixes_per_100_after, effect.fixed_after, effect.messages_after, lang),
            )
            for effect in effects
        )
        body = Markup(
            '<div class="audit-scroll"><table class="audit"><thead><tr>{}</tr></thead>'
            "<tbody>{}</tbody></table></div>"
        ).format(head, rows)
    return Markup(
        '<section class="panel" aria-labelledby="panel-promotions">'
        '<h2 id="panel-promotions">{}</h2>{}</section>'
    ).format(title, body)
