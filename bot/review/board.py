"""The cards on every review surface: posted once per surface, kept in step after each change.

A card can sit on several desks at once (a Slack channel, a Telegram agents group, the web page);
the store remembers where each copy was posted (``card_posts``), so a decision made on one shows
on all of them, and a reaction on any copy finds its card.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from functools import partial
from typing import cast
from zoneinfo import ZoneInfo

from bot import metrics
from bot.domain import Platform
from bot.review.card_builder import build_card
from bot.review.cards import CardRef, ReviewCard
from bot.review.ports import ReviewSurface
from bot.review.worker import RunSync, until_stored
from bot.store import CardView, SavedDrafting, Store

__all__ = ["Board"]

log = logging.getLogger(__name__)


class Board:
    """Every review surface, and the cards shown on them."""

    def __init__(
        self,
        *,
        store: Store,
        run: RunSync,
        intent_choices: Callable[[], tuple[str, ...]],
        zone: ZoneInfo,
    ) -> None:
        self._store = store
        #: The brand's time zone: every surface shows times in it.
        self.zone = zone
        self._run = run
        self._intent_choices = intent_choices
        self._surfaces: list[ReviewSurface] = []
        #: Display names of reviewers seen acting, for the "who" of a decided card.
        self.reviewer_names: dict[str, str] = {}
        #: One lock per card being updated, and how many updates use it.
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}

    def add_surface(self, surface: ReviewSurface) -> None:
        self._surfaces.append(surface)

    @property
    def has_surfaces(self) -> bool:
        return bool(self._surfaces)

    def surface_for(self, desk: str) -> ReviewSurface | None:
        return next((s for s in self._surfaces if s.platform == desk), None)

    def card_from(self, view: CardView) -> ReviewCard:
        """The platform-neutral card for a stored view."""
        return build_card(
            view, intent_choices=self._intent_choices(), reviewer_names=self.reviewer_names
        )

    async def show(self, saved: SavedDrafting) -> tuple[ReviewCard | None, tuple[CardRef, ...]]:
        """Post a message's card (or update it where it already is), and refresh the cards its
        new drafts superseded."""
        for other in saved.superseded_cards:
            await self.refresh(other)
        if saved.card is None:
            return None, ()
        card = self.card_from(saved.card)
        if not self._surfaces:
            # Said at start too; repeated in the log so a missing desk cannot go unnoticed.
            log.warning("card %s is stored, but no review desk is configured", card.card_id)
        if saved.card_was_posted:
            return card, await self.refresh(card.card_id, card=card)
        if saved.card_existed:
            # Drafted before and not recorded as posted: the process that drafted it may have
            # posted it and be waiting for the store to record that (an outage). Posting again
            # could show it twice; the sweep posts it if it is still nowhere after its grace.
            log.info(
                "card %s: drafted again, not recorded as posted: left to the sweep", card.card_id
            )
            return card, ()
        return card, await self.post(card)

    async def card(self, card_id: int) -> ReviewCard | None:
        view = await self._run(partial(self._store.card_view, card_id))
        return None if view is None else self.card_from(view)

    async def post(self, card: ReviewCard) -> tuple[CardRef, ...]:
        """Post ``card`` on every surface; a surface that refuses is left to the sweep."""
        refs: list[CardRef] = []
        for surface in self._surfaces:
            try:
                ref = await surface.post_card(card)
            except Exception:
                # The card stays in the store; the sweep posts it again.
                log.exception("review card %s: %s did not take it", card.card_id, surface.platform)
                metrics.CARD_FAILURES.labels(surface.platform).inc()
                continue
            await until_stored(
                self._run,
                partial(
                    self._store.add_card_post,
                    card.card_id,
                    desk=ref.desk,
                    chat_id=ref.chat_id,
                    message_id=ref.message_id,
                    shown_draft_id=card.draft_id,
                ),
                what=f"review card {card.card_id} posted on {ref.desk}",
            )
            metrics.CARDS_POSTED.labels(surface.platform).inc()
            refs.append(ref)
        return tuple(refs)

    async def refresh(
        self, card_id: int, *, card: ReviewCard | None = None, only_stale: bool = False
    ) -> tuple[CardRef, ...]:
        """Show the card's current state wherever it was posted (``only_stale``: only where a
        copy shows another version), and record which draft each updated copy shows.

        Updates of one card are made one at a time, each with the card as it is then: two
        changes in quick succession cannot leave a message showing one version while the store
        says it shows the other (a reaction on it acts on what the store says)."""
        lock, users = self._locks.get(card_id, (asyncio.Lock(), 0))
        self._locks[card_id] = (lock, users + 1)
        try:
            async with lock:
                if card is None or users > 0:
                    # Another update went first: the card may have changed since ``card``.
                    card = await self.card(card_id)
                return await self._update_posts(card_id, card, only_stale=only_stale)
        finally:
            lock, users = self._locks[card_id]
            if users > 1:
                self._locks[card_id] = (lock, users - 1)
            else:
                del self._locks[card_id]

    async def _update_posts(
        self, card_id: int, card: ReviewCard | None, *, only_stale: bool
    ) -> tuple[CardRef, ...]:
        if card is None:
            return ()
        posts = await self._run(partial(self._store.card_posts, card_id))
        refs: list[CardRef] = []
        for stored in posts:
            if only_stale and stored.shown_draft_id == card.draft_id:
                continue
            post = CardRef(cast(Platform, stored.desk), stored.chat_id, stored.message_id)
            surface = self.surface_for(post.desk)
            if surface is None:
                continue
            try:
                await surface.update_card(post, card)
            except Exception:
                log.exception("review card %s: %s did not take the update", card_id, post.desk)
                metrics.CARD_FAILURES.labels(post.desk).inc()
                continue
            await self._run(
                partial(
                    self._store.mark_shown,
                    card_id,
                    desk=post.desk,
                    chat_id=post.chat_id,
                    message_id=post.message_id,
                    draft_id=card.draft_id,
                )
            )
            refs.append(post)
        return tuple(refs)
