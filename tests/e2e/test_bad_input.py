"""Bad input never crashes and never vanishes: a sensible draft or an explicit hand-off."""

from __future__ import annotations

import pytest

from bot.drafting.session import DraftRequest, DraftSession

NASTY = {
    "empty": "",
    "whitespace": "   \n\t  ",
    "emoji only": "😡😡😡",
    "thumbs up": "👍",
    "ten thousand characters": ("ma commande n'arrive pas " * 420)[:10_000],
    "mixed languages": "Hi, je voudrais savoir where is my order 4821 svp thanks",
    "spanish": "Hola, ¿dónde está mi pedido? Lo compré hace dos semanas.",
    "german": "Wo ist meine Bestellung? Ich warte seit zwei Wochen.",
    "jinja expression": "{{ 7*7 }} where is my order",
    "jinja raw": "{% raw %}{% endraw %} commande {{ config }}",
    "html": "<script>alert('x')</script><b>bonjour</b>",
    "slack broadcast": "<!channel> <!here> @here refund now",
    "control characters": "ou\x00 est\x07 ma\x1b[31m commande\u200b\u200d\ufeff 4821",
    "only numbers": "4821",
    "url": "https://example.com/order/4821?ref=abc",
}


@pytest.mark.parametrize("text", NASTY.values(), ids=NASTY.keys())
def test_every_bad_input_gets_a_draft_or_a_handoff(session: DraftSession, text: str) -> None:
    drafted = session.draft_many([DraftRequest(text, customer_name="Julie")])[0]
    analysis, result = drafted.analysis, drafted.result
    assert analysis.language in ("fr", "en", "other")
    assert 0.0 <= analysis.intent.confidence <= 1.0
    assert result.drafts or result.blocked_reason
    for draft in result.drafts:
        assert draft.text.strip()
        assert "None" not in draft.text
        assert "49" not in draft.text  # {{ 7*7 }} is never evaluated
    if analysis.handoff:
        assert analysis.intent.name == "other"
        assert analysis.handoff_reason


@pytest.mark.parametrize("key", ["empty", "whitespace", "emoji only"])
def test_nothing_to_read_is_handed_to_a_person(session: DraftSession, key: str) -> None:
    drafted = session.draft_many([DraftRequest(NASTY[key])])[0]
    assert drafted.analysis.handoff
    assert "/other/" in drafted.result.drafts[0].template


@pytest.mark.parametrize("key", ["spanish", "german"])
def test_other_languages_are_handed_off(session: DraftSession, key: str) -> None:
    drafted = session.draft_many([DraftRequest(NASTY[key])])[0]
    assert drafted.analysis.language == "other"
    assert drafted.analysis.handoff
    assert "/other/" in drafted.result.drafts[0].template


def test_a_batch_answers_every_message_in_order(session: DraftSession) -> None:
    texts = list(NASTY.values())
    drafted = session.draft_many([DraftRequest(t) for t in texts])
    assert len(drafted) == len(texts)
