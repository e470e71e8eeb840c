"""Every reviewer action and refused attempt lands in the audit log; neither the log nor
/metrics holds customer text."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from prometheus_client import generate_latest

from bot import metrics
from bot.config import AppConfig, Reviewers
from bot.domain import ReviewAction
from bot.nlp.analyser import Analyser
from bot.review.cards import CardRef, ReviewerAction
from bot.review.desk import ReviewDesk
from bot.review.fakes import MemoryChannel, MemorySurface
from bot.store import Store
from bot.store.audit import AuditEntry
from bot.web.audit_table import render_audit
from tests.browser.harness import running_playground
from tests.integration.test_review_desk import REVIEWER, click, last, make_desk, says
from tests.waiting import wait_until

SECRET_TEXT = "Ma commande 55120 pour Zéphyrine est arrivée cassée, écrivez à zq@example.org"
EDIT = "Toutes nos excuses Zéphyrine, le remboursement part aujourd'hui"


@pytest.fixture
async def desk(
    store: Store, app_config: AppConfig, analyser: Analyser
) -> AsyncIterator[ReviewDesk]:
    review = app_config.review.model_copy(update={"reviewers": Reviewers(slack=(REVIEWER,))})
    desk = make_desk(store, app_config.model_copy(update={"review": review}), analyser)
    await desk.start()
    try:
        yield desk
    finally:
        await desk.stop()
        desk.close()


@pytest.fixture
def surface(desk: ReviewDesk) -> MemorySurface:
    surface = MemorySurface("slack", chat_id="C_DESK")
    desk.add_surface(surface)
    return surface


@pytest.fixture
def channel(desk: ReviewDesk) -> MemoryChannel:
    channel = MemoryChannel("telegram")
    desk.outbox.add_channel(channel)
    return channel


async def test_actions_and_refusals_are_recorded_without_customer_text(
    desk: ReviewDesk, surface: MemorySurface, channel: MemoryChannel
) -> None:
    await desk.receive(says(SECRET_TEXT, customer="5550001", message_id="1"), event_id="a1")
    _, card = last(surface)

    await desk.act(click(ReviewAction.SEND, card, who="U_STRANGER"))  # not a reviewer
    await desk.act(click(ReviewAction.EDIT, card, edited_text="   "))  # an edit needs text
    await desk.act(click(ReviewAction.VARIANT, card))
    _, shown = last(surface)
    await desk.act(click(ReviewAction.EDIT, shown, edited_text=EDIT))
    await desk.act(click(ReviewAction.DISCARD, shown))  # decided already
    # A reaction on a card message that is not one (no card there).
    await desk.act(
        ReviewerAction(
            action=ReviewAction.SEND,
            platform="slack",
            reviewer_id=REVIEWER,
            card=CardRef("slack", "C_DESK", "not-a-card"),
        )
    )
    await wait_until(lambda: len(channel.sent) == 1)

    entries = list(reversed(desk.store.audit_entries()))
    assert [(e.action, e.outcome, e.reason) for e in entries] == [
        ("send", "not_reviewer", None),
        ("edit", "refused", "edit_needs_text"),
        ("variant", "applied", None),
        ("edit", "applied", None),
        ("discard", "refused", "not_pending"),
        ("send", "refused", "no_card"),
    ]
    assert entries[0].actor == "slack:U_STRANGER"
    assert {e.actor for e in entries[1:]} == {f"slack:{REVIEWER}"}
    assert {e.platform for e in entries} == {"slack"}
    assert {e.card_id for e in entries[:5]} == {card.card_id}
    assert entries[5].card_id is None
    assert all(e.at <= datetime.now(UTC) for e in entries)
    logged = json.dumps([e.as_json() for e in entries])
    for secret in ("Zéphyrine", "Z\\u00e9phyrine", "55120", "zq@example.org", "excuses"):
        assert secret not in logged


async def test_metrics_hold_no_personal_data(
    desk: ReviewDesk, surface: MemorySurface, channel: MemoryChannel
) -> None:
    await desk.receive(says(SECRET_TEXT, customer="5550002", message_id="2"), event_id="m1")
    _, card = last(surface)
    await desk.act(click(ReviewAction.SEND, card, who="U_STRANGER"))
    await desk.act(click(ReviewAction.EDIT, card, edited_text=EDIT))
    await wait_until(lambda: len(channel.sent) == 1)
    await wait_until(lambda: desk.store.outbox_counts() == {"delivered": 1})

    scraped = generate_latest(metrics.REGISTRY).decode()
    for secret in ("Zéphyrine", "55120", "zq@example.org", "5550002", "U_STRANGER", REVIEWER):
        assert secret not in scraped
    # Labels are closed sets (platform, desk, action, outcome, reason, work lane), never an id
    # or a text.
    names = {
        label
        for family in metrics.REGISTRY.collect()
        for sample in family.samples
        for label in sample.labels
    }
    assert names <= {"platform", "desk", "action", "outcome", "reason", "lane", "le"}


def entry(actor: str, outcome: str, *, reason: str | None = None) -> AuditEntry:
    return AuditEntry(
        id=1,
        at=datetime(2026, 12, 7, 20, 30, tzinfo=UTC),
        actor=actor,
        platform="telegram",
        action="send",
        outcome=outcome,
        reason=reason,
        card_id=42,
    )


def test_the_audit_table_is_escaped_and_in_the_readers_language() -> None:
    html = render_audit(
        [entry("telegram:<script>alert(1)</script>", "not_reviewer")],
        lang="fr",
        zone="America/Toronto",
    )
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "pas relecteur" in html
    assert "2026-12-07 15:30:00" in html  # shown in the brand's time zone
    assert "<td>42</td>" in html
    empty = render_audit([], lang="en")
    assert "No reviewer action yet." in empty


@pytest.fixture
async def page_client(
    tmp_path: Path, app_config: AppConfig, analyser: Analyser
) -> AsyncIterator[tuple[httpx.AsyncClient, Store]]:
    url = f"sqlite:///{tmp_path / 'var' / 'replique.db'}"
    async with (
        running_playground(database_url=url, config=app_config, analyser=analyser) as pg,
        httpx.AsyncClient(base_url=pg.url, timeout=30) as client,
    ):
        yield client, pg.store


async def test_the_insights_page_shows_the_latest_audit_entries(
    page_client: tuple[httpx.AsyncClient, Store],
) -> None:
    client, store = page_client
    store.record_audit(
        actor="slack:<b>U1</b>", platform="slack", action="discard", outcome="refused", card_id=7
    )
    page = await client.get("/insights?lang=en")
    assert page.status_code == 200
    assert "Audit log" in page.text
    assert "slack:&lt;b&gt;U1&lt;/b&gt;" in page.text
    assert "<td>discard</td>" in page.text
