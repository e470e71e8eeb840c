"""Per-channel escaping, applied to a draft after rendering, just before it leaves Réplique.

Drafts are plain text (and may quote the customer's own words back, e.g. a product they named),
so each channel escapes for its own markup: Telegram's HTML parse mode, Slack's mrkdwn. Slack's
special sequences (``<!channel>``, ``<!here>``, ``<@U123>``) only exist inside ``<…>``, so escaping
``<`` and ``>`` is what makes a customer's ``<!channel>`` harmless.
"""

from __future__ import annotations

import html

from bot.domain import Platform

__all__ = ["escape_for", "escape_slack", "escape_telegram_html"]


def escape_telegram_html(text: str) -> str:
    return html.escape(text, quote=False)


def escape_slack(text: str) -> str:
    # Slack asks for exactly these three, and no others, to be escaped in mrkdwn.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_for(channel: Platform, text: str) -> str:
    """Text ready to embed in a message of ``channel`` (web and terminal get HTML-safe text)."""
    if channel == "slack":
        return escape_slack(text)
    if channel in ("telegram", "web"):
        return escape_telegram_html(text)
    return text
