"""The pages' words in the reader's language: ``?lang=``, else the browser's Accept-Language.

The sentences themselves live in ``bot/i18n/`` with every other sentence Réplique says, under
``web.*``; this module only chooses the language per request (a page is read by a person whose
browser says which language they prefer, not by the process's locale) and hands the strings the
browser script needs to it.
"""

from __future__ import annotations

from typing import Final

from bot.i18n import LANGUAGES, Lang, language, t_in, template_in

__all__ = ["UI_KEYS", "pick_language", "text", "ui_strings"]

#: Every ``web.*`` sentence the pages and their script use (named here so none goes missing).
UI_KEYS: Final[tuple[str, ...]] = (
    "web.title",
    "web.nav_label",
    "web.nav_playground",
    "web.nav_insights",
    "web.other_language",
    "web.intro",
    "web.customer_pane",
    "web.customer_name",
    "web.open_conversation",
    "web.conversations",
    "web.look",
    "web.message",
    "web.message_hint",
    "web.send",
    "web.no_conversation",
    "web.chat_with",
    "web.from_customer",
    "web.from_brand",
    "web.waiting",
    "web.desk_pane",
    "web.no_cards",
    "web.card_from",
    "web.draft",
    "web.why",
    "web.variant",
    "web.promotional",
    "web.attachment",
    "web.btn_send",
    "web.btn_edit",
    "web.btn_variant",
    "web.btn_discard",
    "web.intent_label",
    "web.fix_intent",
    "web.edit_label",
    "web.edit_send",
    "web.cancel",
    "web.connection_lost",
    "web.error_empty_text",
    "web.error_no_name",
    "web.error_too_long",
    "web.error_failed",
    "web.error_forbidden",
    "web.signin_title",
    "web.signin_token",
    "web.signin_button",
    "web.signin_hint",
    "web.local_only",
)


def pick_language(*, query: str | None, accept_language: str | None) -> Lang:
    """``fr`` or ``en``: the page's ``?lang=`` toggle, else the browser's first choice we speak.

    With neither (a script, curl), the process's own language (``REPLIQUE_LANG``, locale) decides.
    """
    if query in LANGUAGES:
        return query
    ranked: list[tuple[float, int, Lang]] = []
    for position, item in enumerate((accept_language or "").split(",")):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        primary = tag.strip().lower()[:2]
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    if ranked:
        return min(ranked)[2]
    return language()


def text(key: str, lang: Lang, /, **values: object) -> str:
    """The message ``key`` in ``lang`` (not the process's language), placeholders filled."""
    return t_in(lang, key, **values)


def ui_strings(lang: Lang) -> dict[str, str]:
    """The script's strings in ``lang``, keyed without the ``web.`` prefix; placeholders kept."""
    return {key.removeprefix("web."): template_in(lang, key) for key in UI_KEYS}
