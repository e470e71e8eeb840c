"""Property-based runs (Hypothesis, CI-sized) over what customers control: the text and the name.

- the analyser and the drafter take any text and any name without raising, and always answer;
- ``{{ … }}`` in a message or a name is never evaluated by the reply templates;
- wherever customer text is shown as markup — a Telegram card (HTML), a Slack card (mrkdwn),
  a draft escaped for its channel — it cannot open a tag or mention ``@channel``;
- the web API's JSON loader takes any text and answers with a value or ``UnsafeJSON``, never
  another exception (the route tests send the same over HTTP).
"""

from __future__ import annotations

import json
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels.slack_blocks import card_blocks, card_fallback
from bot.channels.telegram_cards import render_card
from bot.drafting.escaping import escape_for
from bot.drafting.session import DraftRequest, DraftSession
from bot.web import safe_json
from tests.cards import sample_card

CI = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ZONE = ZoneInfo("America/Toronto")
HOSTILE = (
    "<b>bold</b>",
    "<!channel>",
    "<@U0HACK>",
    "<script>x()</script>",
    "{{ 7 * 191 }}",
    "&amp;",
)
# Tags Réplique's own Telegram cards use; anything else in the HTML came from somewhere else.
OWN_TAGS = re.compile(r"</?(?:b|i|u|s|code|pre|blockquote)>")

texts = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=80),
    st.lists(
        st.sampled_from([*HOSTILE, "commande 88123", "order", "😡", " ", "\n"]), max_size=8
    ).map("".join),
)
names = st.none() | st.text(max_size=40) | st.sampled_from(HOSTILE)


@CI
@given(text=texts, name=names, channel=st.sampled_from(["telegram", "slack", "web", "cli"]))
def test_any_text_and_name_get_an_analysis_and_drafts_never_a_crash(
    session: DraftSession, text: str, name: str | None, channel: Any
) -> None:
    [drafted] = session.draft_many(
        [DraftRequest(text=text, customer_name=name, channel=channel, customer_id="fuzz")]
    )
    assert drafted.analysis.language
    assert drafted.analysis.intent.name
    for draft in drafted.result.drafts:
        # A template never evaluates what the customer wrote: 7 * 191 is not computed.
        assert "1337" not in draft.text or "1337" in text or "1337" in (name or "")
        escaped = escape_for(channel, draft.text)
        if channel in ("telegram", "web"):
            assert "<" not in escaped
        if channel == "slack":
            assert "<!" not in escaped
            assert "<@" not in escaped


def mrkdwn_texts(node: Any) -> list[str]:
    """Every mrkdwn string in a Block Kit structure."""
    found: list[str] = []
    if isinstance(node, dict):
        if node.get("type") == "mrkdwn" and isinstance(node.get("text"), str):
            found.append(node["text"])
        for value in node.values():
            found.extend(mrkdwn_texts(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(mrkdwn_texts(value))
    return found


@CI
@given(message=texts, name=texts, draft=texts, decided=st.booleans())
def test_cards_never_let_customer_text_become_markup(
    message: str, name: str, draft: str, decided: bool
) -> None:
    poison = "<!channel> <b>x</b> "
    changes: dict[str, Any] = {
        "message_text": poison + message,
        "customer_name": poison + name,
        "draft_text": poison + draft,
    }
    if decided:
        from bot.domain import DraftStatus

        changes |= {"status": DraftStatus.EDITED, "final_text": poison + draft, "decided_by": name}
    card = sample_card(**changes)

    html, _ = render_card(card, ZONE)
    assert "<" not in OWN_TAGS.sub("", html), "customer text opened a tag in the Telegram card"

    blocks = card_blocks(card, ZONE)
    for text in [*mrkdwn_texts(blocks), card_fallback(card, ZONE)]:
        assert "<!channel>" not in text
        assert "<b>" not in text
    # Block Kit itself is JSON: whatever the text, the blocks serialise.
    json.dumps(blocks)


@CI
@given(
    document=st.text(max_size=400)
    | st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=10),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
        ),
        max_leaves=30,
    ).map(json.dumps)
)
def test_the_safe_json_loader_answers_a_value_or_unsafe_json(document: str) -> None:
    reason: str = "ok"
    try:
        safe_json.loads(document, max_depth=8)
    except safe_json.UnsafeJSON as problem:
        reason = problem.reason
    assert reason in ("ok", "too_large", "too_deep", "not_json")


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ("[" * 100_000 + "]" * 100_000, "too_deep"),
        ('{"a": "' + "x" * 300_000 + '"}', "too_large"),
        ('{"n": NaN}', "not_json"),
        ("[1, 2", "not_json"),
        (b"\xff", "not_json"),
        ("9" * 5000, "not_json"),
    ],
    ids=["deep", "large", "nan", "cut", "not-utf8", "huge-int"],
)
def test_the_safe_json_loader_refuses_clearly(document: str | bytes, reason: str) -> None:
    with pytest.raises(safe_json.UnsafeJSON) as refused:
        safe_json.loads(document)
    assert refused.value.reason == reason


def test_brackets_inside_strings_are_not_nesting() -> None:
    # Brackets inside strings are text, not nesting.
    brackets = json.dumps({"a": "[" * 40 + "{"})
    assert safe_json.loads(brackets, max_depth=2) == {"a": "[" * 40 + "{"}
    assert safe_json.nesting('[{"a": ["\\"]["]}]') == 3
