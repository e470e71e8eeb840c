"""The anti-blast guard and the learned ranking on every card, offline: what each platform shows
and how each asks for the second confirmation; and the ranking's exploration."""

from __future__ import annotations

from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest

from bot.channels.slack_blocks import ACTION_IDS, CONFIRMED_SEND_ID, card_blocks
from bot.channels.telegram_cards import (
    confirm_keyboard,
    decode_callback,
    render_card,
)
from bot.domain import ReviewAction, TrackRecord
from bot.drafting.ranking import Ranking
from bot.drafting.templates import TemplateVariant
from bot.review.payloads import action_from_json, action_to_json
from bot.web.payloads import BadRequest, card_to_json
from bot.web.payloads import action_from_json as web_action
from tests.cards import sample_card

ZONE = ZoneInfo("America/Toronto")
CARD = sample_card(draft_text="Hi Léa, your order is on its way.", variants=2)
BLASTED = replace(
    CARD,
    why=replace(CARD.why, blast=37, blast_hours=24.0, blast_over_cap=True, personal=1),
)


def test_telegram_asks_for_a_confirmation_step_above_the_cap() -> None:
    text, keyboard = render_card(BLASTED, ZONE)
    assert "this text went to 37 customers in 24 h" in text
    assert "1 facts about this customer" in text
    assert keyboard is not None
    send = keyboard.inline_keyboard[0][0]
    assert send.text.startswith("✅")
    # ✅ opens the confirmation step instead of sending...
    step = decode_callback(str(send.callback_data))
    assert step is not None
    assert step.navigation == "confirm"
    assert step.action is None
    # ...whose first button is the confirmed send, the second goes back.
    buttons = [b for row in confirm_keyboard(BLASTED).inline_keyboard for b in row]
    confirmed = decode_callback(str(buttons[0].callback_data))
    assert confirmed is not None
    assert confirmed.action is ReviewAction.SEND
    assert confirmed.confirmed
    back = decode_callback(str(buttons[1].callback_data))
    assert back is not None
    assert back.navigation == "back"
    # Below the cap ✅ sends at once.
    _, plain = render_card(CARD, ZONE)
    assert plain is not None
    direct = decode_callback(str(plain.inline_keyboard[0][0].callback_data))
    assert direct is not None
    assert direct.action is ReviewAction.SEND
    assert not direct.confirmed


def test_slack_puts_a_confirm_dialog_on_the_send_button_above_the_cap() -> None:
    def send_button(card: object) -> dict[str, object]:
        blocks = card_blocks(card, ZONE)  # type: ignore[arg-type]
        actions = next(b for b in blocks if b["type"] == "actions")
        return dict(actions["elements"][0])

    button = send_button(BLASTED)
    assert button["action_id"] == CONFIRMED_SEND_ID
    assert ACTION_IDS[CONFIRMED_SEND_ID] is ReviewAction.SEND
    dialog = button["confirm"]
    assert isinstance(dialog, dict)
    assert "37 customers" in dialog["text"]["text"]
    assert dialog["confirm"]["text"].startswith("✅")
    plain = send_button(CARD)
    assert plain["action_id"] == "replique_send"
    assert "confirm" not in plain
    texts = [str(b) for b in card_blocks(BLASTED, ZONE) if b["type"] == "context"]
    assert any("this text went to 37 customers in 24 h" in t for t in texts)


def test_the_web_card_and_action_carry_the_confirmation() -> None:
    shown = card_to_json(BLASTED, ZONE)
    assert shown["needs_confirmation"] is True
    assert "37 customers" in shown["guard"]
    assert "37 customers" in shown["confirm_text"]
    assert card_to_json(CARD, ZONE)["needs_confirmation"] is False
    action = web_action(
        {"action": "send", "draft_id": 5, "confirmed": True}, reviewer_id="w", reviewer_name="W"
    )
    assert action.confirmed
    assert not web_action(
        {"action": "send", "draft_id": 5}, reviewer_id="w", reviewer_name="W"
    ).confirmed
    with pytest.raises(BadRequest):
        web_action(
            {"action": "send", "draft_id": 5, "confirmed": "yes"},
            reviewer_id="w",
            reviewer_name="W",
        )
    # The work queue keeps the confirmation (another process may apply the action).
    assert action_from_json(action_to_json(action)).confirmed


class Records:
    def __init__(self, records: dict[tuple[str, str], TrackRecord]) -> None:
        self._records = records

    def records(self) -> dict[tuple[str, str], TrackRecord]:
        return self._records


def variant(name: str) -> TemplateVariant:
    return TemplateVariant(name=f"en/order_status/{name}", language="en", intent="order_status")


def test_the_ranking_favours_what_is_sent_as_is_and_still_tries_a_new_variant() -> None:
    good, new, bad = variant("good"), variant("new"), variant("bad")
    records = Records(
        {
            ("order_status", good.name): TrackRecord(sent=14, edited=2),
            ("order_status", bad.name): TrackRecord(sent=1, edited=6, discarded=5),
        }
    )
    ranking = Ranking(records, seed=7)
    firsts = [ranking.order("order_status", [bad, new, good])[0] for _ in range(2000)]
    share = {v.name: sum(r.variant is v for r in firsts) / len(firsts) for v in (good, new, bad)}
    assert share[good.name] > 0.8
    assert 0.01 < share[new.name] < 0.2  # tried now and then
    assert share[bad.name] < 0.01
    assert all(r.trial for r in firsts if r.variant is new)
    # The same seed and history give the same order.
    again = Ranking(records, seed=7)
    assert [again.order("order_status", [bad, new, good])[0].variant for _ in range(50)] == [
        r.variant for r in firsts[:50]
    ]
    # Nothing decided yet: the templates' own order stays.
    fresh = Ranking(Records({}), seed=7).order("order_status", [bad, new, good])
    assert [r.variant for r in fresh] == [bad, new, good]
