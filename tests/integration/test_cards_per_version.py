"""The store's side of decisions bound to what the reviewer saw: the draft each posted card
message shows, one open card per message (a decided one is never reopened), and migration
0007 over a database that already holds cards, both ways, with foreign keys on."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, make_url, select

from bot.domain import DraftStatus, ReviewAction
from bot.store import Store, alembic_config
from bot.store.engine import create_store_engine
from bot.store.migrate import upgrade
from bot.store.models import Base, CardPostRow, ReviewCardRow
from tests.integration.test_store import analysis, drafts, inbound


def answered_then_edited(store: Store) -> tuple[int, int, list[int], list[int]]:
    """A message whose card was posted and sent, then edited by the customer: the old card,
    the new one, and the drafts of each."""
    first = store.take_in(inbound("Bonjour", platform_message_id="m1")).recorded
    saved = store.save_drafting(first, analysis=analysis("greeting"), drafts=drafts("A", "B"))
    assert saved.card is not None
    old_card, old_drafts = saved.card.card_id, list(saved.saved.draft_ids)
    store.add_card_post(
        old_card, desk="slack", chat_id="C", message_id="1", shown_draft_id=old_drafts[0]
    )
    assert store.decide(old_drafts[0], action=ReviewAction.SEND, reviewer="slack:U1").applied

    edited = store.take_in(inbound("Bonjour, ma commande 7781 ?", platform_message_id="m1"))
    assert edited.recorded.edited
    again = store.save_drafting(
        edited.recorded, analysis=analysis("order_status"), drafts=drafts("C", "D")
    )
    assert again.card is not None
    assert not again.card_was_posted  # a new card, to be posted
    new_card, new_drafts = again.card.card_id, list(again.saved.draft_ids)
    store.add_card_post(
        new_card, desk="slack", chat_id="C", message_id="2", shown_draft_id=new_drafts[0]
    )
    return old_card, new_card, old_drafts, new_drafts


def test_an_edit_of_an_answered_message_opens_a_new_card_and_leaves_the_old_one(
    store: Store,
) -> None:
    old_card, new_card, old_drafts, new_drafts = answered_then_edited(store)

    assert new_card != old_card
    old = store.card_view(old_card)
    assert old is not None
    assert (old.draft.id, old.draft.status) == (old_drafts[0], DraftStatus.SENT)
    assert [store.card_of_draft(d) for d in old_drafts] == [old_card, old_card]
    assert [store.card_of_draft(d) for d in new_drafts] == [new_card, new_card]
    assert store.shown_at(desk="slack", chat_id="C", message_id="1") == (old_card, old_drafts[0])
    # A pending card takes the next drafts in place (an edit before any decision, an intent fix).
    edited = store.take_in(inbound("Bonjour, ma commande 7782 ?", platform_message_id="m1"))
    third = store.save_drafting(
        edited.recorded, analysis=analysis("order_status"), drafts=drafts("E")
    )
    assert third.card is not None
    assert (third.card.card_id, third.card_was_posted) == (new_card, True)


def test_a_post_records_the_draft_each_update_showed(store: Store) -> None:
    first = store.take_in(inbound("Salut")).recorded
    saved = store.save_drafting(first, analysis=analysis("greeting"), drafts=drafts("A", "B"))
    assert saved.card is not None
    card, (a, b) = saved.card.card_id, saved.saved.draft_ids
    store.add_card_post(card, desk="telegram", chat_id="-100", message_id="9", shown_draft_id=a)
    assert store.switch_card_draft(card, expected=a, draft_id=b)
    assert store.shown_at(desk="telegram", chat_id="-100", message_id="9") == (card, a)
    store.mark_shown(card, desk="telegram", chat_id="-100", message_id="9", draft_id=b)
    assert store.shown_at(desk="telegram", chat_id="-100", message_id="9") == (card, b)
    assert [p.shown_draft_id for p in store.card_posts(card)] == [b]
    # 🔁 on a card whose draft was decided meanwhile changes nothing.
    assert store.decide(b, action=ReviewAction.DISCARD, reviewer="telegram:1").applied
    assert not store.switch_card_draft(card, expected=b, draft_id=a)


def test_migration_0007_keeps_the_cards_of_a_live_database_both_ways(store_url: str) -> None:
    with Store.open(store_url) as store:
        _, new_card, old_drafts, new_drafts = answered_then_edited(store)
    url = make_url(store_url)
    if url.get_backend_name() == "sqlite" and url.database:
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_store_engine(url)  # foreign keys on, as the store runs
    try:
        with engine.begin() as conn:
            command.downgrade(alembic_config(conn), "0006")
        with engine.connect() as conn:
            # Back at one card per message: the newest (the one the desk shows) stays.
            assert conn.execute(select(ReviewCardRow.id)).scalars().all() == [new_card]
            posts = conn.execute(select(CardPostRow.card_id)).scalars().all()
            assert posts == [new_card]
        with engine.begin() as conn:
            upgrade(conn)
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
            shown = conn.execute(select(CardPostRow.card_id, CardPostRow.shown_draft_id)).all()
            assert [tuple(row) for row in shown] == [(new_card, new_drafts[0])]
            assert conn.execute(select(func.count()).select_from(ReviewCardRow)).scalar_one() == 1
    finally:
        engine.dispose()
    with Store.open(store_url) as store:
        assert store.card_of_draft(new_drafts[0]) == new_card
        assert old_drafts  # their card went with the downgrade; the drafts stay
