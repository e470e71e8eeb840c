"""A desk that learns, driven through the review desk on both stores: reviewers' decisions rank
the variants, their edits become a variant file, earlier replies come back about the new
customer, and the same text to too many customers needs a second confirmation.

``desk.receive(...)`` is a customer writing, ``surface.cards`` the review chat, ``desk.act(...)``
a reviewer's click, ``channel.sent`` what customers received.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot import cli
from bot.config import AppConfig, OrdersConfig, Reviewers
from bot.domain import DraftStatus, InboundMessage, ReviewAction
from bot.drafting.check import check_templates, sample_contexts
from bot.drafting.templates import TemplateLibrary
from bot.nlp.analyser import Analyser
from bot.review.cards import CardVersion, NoticeKind, ReviewCard, ReviewerAction
from bot.review.desk import ReviewDesk
from bot.review.fakes import MemoryChannel, MemorySurface
from bot.review.suggestions import group_edits, suggestion_path, variant_source
from bot.store import Store
from bot.wording import guard_line, notice_text, why_line
from tests.integration.test_review_desk import ZONE, last, make_desk
from tests.waiting import wait_until

REVIEWER = "U_REVIEWER"


def configured(app_config: AppConfig, **review: object) -> AppConfig:
    settings = {"reviewers": Reviewers(slack=(REVIEWER,)), "ranking_refresh_seconds": 0.0}
    settings.update(review)
    # No order system: the ranking, not the order facts, decides which variant leads.
    changed = app_config.review.model_copy(update=settings)
    return app_config.model_copy(update={"review": changed, "orders": OrdersConfig()})


async def open_desk(
    store: Store, config: AppConfig, analyser: Analyser
) -> tuple[ReviewDesk, MemorySurface, MemoryChannel]:
    desk = make_desk(store, config, analyser)
    surface = MemorySurface("slack", chat_id="C_DESK")
    desk.add_surface(surface)
    channel = MemoryChannel("telegram")
    desk.outbox.add_channel(channel)
    await desk.start()
    return desk, surface, channel


@pytest.fixture
def review_settings() -> dict[str, object]:
    """``review:`` settings of a test's desk (a test parametrizes it to change them)."""
    return {}


@pytest.fixture
async def rig(
    store: Store, app_config: AppConfig, analyser: Analyser, review_settings: dict[str, object]
) -> AsyncIterator[tuple[ReviewDesk, MemorySurface, MemoryChannel]]:
    config = configured(app_config, **review_settings)
    desk, surface, channel = await open_desk(store, config, analyser)
    try:
        yield desk, surface, channel
    finally:
        await desk.stop()
        desk.close()


def says(text: str, *, customer: str, name: str) -> InboundMessage:
    return InboundMessage(
        platform="telegram",
        conversation_id=customer,
        customer_id=customer,
        customer_name=name,
        text=text,
        platform_message_id=f"m-{customer}",
    )


def click(action: ReviewAction, draft_id: int, **extra: object) -> ReviewerAction:
    return ReviewerAction(
        action=action,
        platform="slack",
        reviewer_id=REVIEWER,
        reviewer_name="Léa",
        draft_id=draft_id,
        **extra,  # type: ignore[arg-type]
    )


def version(card: ReviewCard, template: str) -> CardVersion:
    return next(v for v in card.versions if v.template == template)


async def card_for(desk: ReviewDesk, surface: MemorySurface, message: InboundMessage) -> ReviewCard:
    await desk.receive(message, event_id=f"e-{message.customer_id}")
    return last(surface)[1]


NAMES = ("Julie Tremblay", "Marc Gagnon", "Sophie Roy", "Paul Côté", "Nadia Haddad", "Léo Martin",
         "Amir Saleh", "Chloé Morin", "Omar Diallo", "Inès Petit", "Hugo Lefebvre")  # fmt: skip


async def test_what_reviewers_do_with_each_variant_ranks_the_next_drafts(
    rig: tuple[ReviewDesk, MemorySurface, MemoryChannel], monkeypatch: pytest.MonkeyPatch
) -> None:
    desk, surface, _ = rig

    def asks(i: int) -> InboundMessage:
        text = f"Hi, where is my order 8812{i}? It still hasn't arrived."
        return says(text, customer=f"c{i}", name=NAMES[i])

    first = await card_for(desk, surface, asks(0))
    assert first.intent == "order_status"
    # Nothing decided yet: the templates' own order, the most personal variant first.
    assert first.template == "en/order_status/with_number"
    assert "sent as-is" not in why_line(first.why)
    other = next(v.template for v in first.versions if v.template != first.template)
    # Reviewers rewrite the first variant four times, and send the other as it is six times.
    for i in range(1, 5):
        card = await card_for(desk, surface, asks(i))
        edited = version(card, "en/order_status/with_number").draft_id
        # The reviewer picks that version among those the card lists (as the console does).
        done = await desk.act(
            click(
                ReviewAction.EDIT,
                edited,
                edited_text="On its way, sorry!",
                shown_draft_id=card.draft_id,
            )
        )
        assert done.applied
    for i in range(5, 11):
        card = await card_for(desk, surface, asks(i))
        sent = click(ReviewAction.SEND, version(card, other).draft_id, shown_draft_id=card.draft_id)
        assert (await desk.act(sent)).applied
    ranked = await card_for(
        desk, surface, says("Where is my order 99001? Not here yet.", customer="z", name="Zoé")
    )
    assert ranked.template == other
    assert "sent as-is 6 of 6 times" in why_line(ranked.why)
    rewritten = version(ranked, "en/order_status/with_number")
    assert "sent as-is 0 of 4 times" in why_line(rewritten.why)
    monkeypatch.setenv("REPLIQUE_LANG", "fr")
    assert "envoyé tel quel 6 fois sur 6" in why_line(ranked.why)


@pytest.mark.parametrize("review_settings", [{"blast_cap": 2, "earlier_replies": False}])
async def test_the_same_text_to_more_customers_than_the_cap_needs_a_second_confirmation(
    rig: tuple[ReviewDesk, MemorySurface, MemoryChannel],
) -> None:
    desk, surface, channel = rig

    def asks(i: int) -> InboundMessage:
        return says("Where is my order? It still hasn't arrived.", customer=f"b{i}", name=NAMES[i])

    first = await card_for(desk, surface, asks(0))
    template = first.template
    assert first.why.blast == 0
    assert guard_line(first.why) is not None
    assert "facts about this customer" in (guard_line(first.why) or "")
    assert (await desk.act(click(ReviewAction.SEND, first.draft_id))).applied
    for i in (1, 2):
        card = await card_for(desk, surface, asks(i))
        shown = version(card, template)
        assert shown.why.blast == i
        assert not shown.why.blast_over_cap
        assert (await desk.act(click(ReviewAction.SEND, shown.draft_id))).applied
    await wait_until(lambda: len(channel.sent) == 3)

    card = await card_for(desk, surface, asks(3))
    blasted = version(card, template)
    assert blasted.why.blast == 3
    assert blasted.why.blast_over_cap
    assert "this text went to 3 customers in 24 h" in (guard_line(blasted.why) or "")
    # ✅ alone does not send it: the reviewer is asked to confirm.
    held = await desk.act(click(ReviewAction.SEND, blasted.draft_id))
    assert not held.applied
    assert held.notice is not None
    assert held.notice.kind is NoticeKind.CONFIRM_BLAST
    assert "3 other customers" in notice_text(held.notice, ZONE)
    assert desk.store.get_draft(blasted.draft_id).status is DraftStatus.PENDING  # type: ignore[union-attr]
    # The card now says so, and asks for the confirmation.
    now_shown = await desk.card_for_draft(blasted.draft_id)
    assert now_shown is not None
    assert version(now_shown, template).why.blast_over_cap
    confirmed = await desk.act(click(ReviewAction.SEND, blasted.draft_id, confirmed=True))
    assert confirmed.applied
    await wait_until(lambda: len(channel.sent) == 4)


async def test_an_earlier_approved_reply_comes_back_about_the_new_customer(
    rig: tuple[ReviewDesk, MemorySurface, MemoryChannel],
) -> None:
    desk, surface, channel = rig
    julie = await card_for(
        desk,
        surface,
        says(
            "My order 88123 arrived damaged, the mug is cracked. Very disappointed.",
            customer="a",
            name="Julie T",
        ),
    )
    reply = (
        "Hi Julie, so sorry about order 88123: a new mug leaves today, no need to send the "
        "broken one back.\nThe Café Boréal team"
    )
    assert (await desk.act(click(ReviewAction.EDIT, julie.draft_id, edited_text=reply))).applied
    await wait_until(lambda: len(channel.sent) == 1)

    marc = await card_for(
        desk,
        surface,
        says(
            "My order 77456 arrived damaged, the mug is cracked. Very disappointed!",
            customer="b",
            name="Marc G",
        ),
    )
    assert marc.intent == julie.intent
    again = [v for v in marc.versions if v.template.endswith("/earlier")]
    assert len(again) == 1
    text = again[0].text
    assert text.startswith("Hi Marc, so sorry about order 77456: a new mug leaves today")
    assert "Julie" not in text
    assert "88123" not in text
    assert "approved on" in why_line(again[0].why)
    # Its facts about Marc: his first name, his order number (and the mug he named).
    assert {"first_name", "order_number"} <= set(again[0].why.uses)
    assert again[0].why.personal == len(again[0].why.uses)

    # A customer with no order number to put in its place gets no earlier reply at all.
    nina = await card_for(
        desk,
        surface,
        says(
            "The mug arrived damaged, it is cracked. Very disappointed.", customer="c", name="Nina"
        ),
    )
    for shown in nina.versions:
        assert "88123" not in shown.text
        assert "Julie" not in shown.text


async def test_frequent_edits_become_a_variant_that_passes_the_check(
    rig: tuple[ReviewDesk, MemorySurface, MemoryChannel],
    tmp_path: Path,
    store_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    desk, surface, _ = rig
    added = " You can also follow it on our tracking page."
    for i in range(3):
        card = await card_for(
            desk,
            surface,
            says(
                f"Hi, where is my order 5510{i}? Still nothing.",
                customer=f"s{i}",
                name=NAMES[i + 1],
            ),
        )
        draft = version(card, "en/order_status/with_number")
        edited = draft.text.replace(" today.", " today." + added, 1)
        assert edited != draft.text
        done = await desk.act(
            click(
                ReviewAction.EDIT, draft.draft_id, edited_text=edited, shown_draft_id=card.draft_id
            )
        )
        assert done.applied

    groups = group_edits(desk.store.template_edits())
    assert [(g.template, g.count) for g in groups] == [("en/order_status/with_number", 3)]
    templates = tmp_path / "templates"
    shutil.copytree(desk.config.templates_dir, templates)
    config = desk.config.model_copy(update={"templates": templates, "base_dir": tmp_path})
    path = suggestion_path(groups[0], templates)
    source = variant_source(groups[0])
    # The customers' own details are template variables now, never their values.
    for i in range(3):
        assert NAMES[i + 1].split()[0] not in source
        assert f"5510{i}" not in source
    assert "{{ order_number }}" in source
    path.write_text(source, encoding="utf-8")
    assert path.name == "suggested_with_number.j2"
    assert check_templates(config) == []
    library = TemplateLibrary(templates)
    variant = next(
        v
        for v in library.variants("en", "order_status")
        if v.name.endswith("suggested_with_number")
    )
    assert variant.requires == ("order_number",)
    context = next(
        c for c in sample_contexts(config, "en", "order_status")
        if c["customer"].first_name and c["order_number"] and c["sentiment"] == "neutral"
    )  # fmt: skip
    text = library.render(variant, context)
    assert "Julie" in text
    assert "A-99812" in text
    assert added.strip() in text

    # The command writes the same file next to its template, checked, for a person to commit.
    path.unlink()
    (tmp_path / "replique.yml").write_text("templates: templates\n", encoding="utf-8")
    monkeypatch.setenv("DATABASE_URL", store_url)
    monkeypatch.setenv("REPLIQUE_CONFIG", str(tmp_path / "replique.yml"))
    ran = CliRunner().invoke(cli.app, ["templates", "suggest", "--json"])
    assert ran.exit_code == 0, ran.output
    answer = json.loads(ran.stdout)
    assert answer == {"written": str(path), "template": "en/order_status/with_number", "edits": 3}
    assert path.read_text(encoding="utf-8") == source
    not_yet = CliRunner().invoke(cli.app, ["templates", "suggest", "--min", "4"])
    assert not_yet.exit_code == 3
