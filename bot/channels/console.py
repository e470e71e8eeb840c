"""The terminal console: a customer channel and a review surface in one terminal.

Type as a customer; Réplique shows the analysis and the ranked drafts; act as the reviewer: send
one, edit it, or discard. It is a channel like the others, built on the in-memory channel and
surface of ``bot/review/fakes.py``: messages go to ``ReviewDesk.receive``, choices to
``ReviewDesk.act``, and a reply reaches the "customer" only when the outbox delivers it — the same
desk, store, outbox and rules as Slack and Telegram. Commands start with a slash (``/help``).

``print_drafted`` also serves ``replique draft``: the analysis on one line, then each draft.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from rich.console import Console
from rich.markup import escape

from bot.config import AppConfig, Settings, load_settings
from bot.domain import Analysis, InboundMessage, ReviewAction, Why
from bot.drafting.replier import Replier
from bot.errors import Words
from bot.i18n import t
from bot.review.cards import ReviewCard, ReviewerAction
from bot.review.desk import ReviewDesk
from bot.review.fakes import MemoryChannel, MemorySurface, SentReply
from bot.review.outbox import OutboxSender
from bot.store import Store
from bot.wording import handoff_text, notice_text, why_line

__all__ = ["ShownDraft", "print_analysis", "print_drafted", "run_console"]

logger = logging.getLogger(__name__)

#: The console's reviewer, as the desk and the store record them.
REVIEWER_ID = "console"
#: Seconds the console waits for the outbox to deliver an approved reply before prompting again.
_DELIVERY_WAIT = 10.0


@dataclass(frozen=True, slots=True)
class ShownDraft:
    """A draft as the terminal lists it."""

    rank: int
    text: str
    template: str
    promotional: bool
    why: Why


def print_analysis(out: Console, text: str, analysis: Analysis) -> None:
    """The message, then the analysis on one line, the alternatives and any hand-off reason."""
    entities = ", ".join(f"{e.label}={e.value or e.text}" for e in analysis.entities)
    out.print(f"[dim]{escape(t('console.message'))}[/dim] {escape(text)!s}")
    facts: list[str] = [analysis.sentiment, analysis.language]
    if analysis.formality:
        facts.append(analysis.formality)
    if analysis.is_urgent:
        facts.append(t("analysis.urgent"))
    if analysis.is_question:
        facts.append(t("analysis.question"))
    facts.append(t("console.entities", entities=entities or t("console.no_entities")))
    out.print(
        f"[bold]{analysis.intent.name}[/bold] {analysis.intent.confidence:.0%} · "
        + escape(" · ".join(facts))
    )
    if analysis.alternatives:
        alternatives = ", ".join(f"{a.name} {a.confidence:.0%}" for a in analysis.alternatives)
        out.print(f"[dim]{escape(t('console.alternatives', alternatives=alternatives))}[/dim]")
    if analysis.handoff_reason is not None:
        out.print(
            f"[yellow]{escape(t('console.handoff'))}[/yellow] "
            f"{escape(handoff_text(analysis.handoff_reason))}"
        )


def print_drafted(
    out: Console,
    text: str,
    analysis: Analysis,
    drafts: Sequence[ShownDraft],
    *,
    blocked: Words | None = None,
) -> None:
    """The analysis, then each draft with its template and its "why"."""
    print_analysis(out, text, analysis)
    if not drafts:
        out.print(f"[red]{escape(t('console.no_draft'))}[/red] {escape(str(blocked or ''))}")
    for draft in drafts:
        promotional = escape(t("console.promotional"))
        flag = f" [magenta]{promotional}[/magenta]" if draft.promotional else ""
        title = escape(t("console.draft", rank=draft.rank))
        out.print(f"\n[bold cyan]{title}[/bold cyan] [dim]{draft.template}[/dim]{flag}")
        out.print(escape(draft.text))
        out.print(f"[dim]{escape(t('console.why', why=why_line(draft.why)))}[/dim]")


def _shown(card: ReviewCard) -> list[ShownDraft]:
    return [
        ShownDraft(rank, v.text, v.template, v.promotional, v.why)
        for rank, v in enumerate(card.versions, start=1)
    ]


def run_console(config: AppConfig, *, settings: Settings | None = None) -> None:
    """``replique console``: until /quit or the end of input."""
    asyncio.run(_Console(config, settings or load_settings()).run())


class _Console:
    def __init__(self, config: AppConfig, settings: Settings) -> None:
        self._config = config
        self._settings = settings
        self._out = Console(highlight=False, soft_wrap=True)
        self._delivered = asyncio.Event()
        self._card: ReviewCard | None = None

    async def _show_reply(self, reply: SentReply) -> None:
        sent = escape(t("console.sent"))
        self._out.print(f"[bold green]{sent}[/bold green]\n{escape(reply.text)}")
        self._delivered.set()

    async def run(self) -> None:
        out = self._out
        store = Store.open(self._settings.effective_database_url)
        outbox = OutboxSender(store=store)
        outbox.add_channel(MemoryChannel("cli", on_reply=self._show_reply))
        desk = ReviewDesk(
            config=self._config, store=store, replier=Replier(self._config), outbox=outbox
        )
        desk.add_surface(MemorySurface("cli", chat_id="console"))
        # The person at this terminal is the reviewer: nobody else can reach it.
        desk.allow_local_reviewers("cli")
        # Values are escaped, the catalogue's text carries no markup: the markup here is ours.
        brand = escape(self._config.brand.name)
        out.print(t("console.banner", name="[bold]Réplique[/bold]", brand=brand))
        await desk.warm_up()
        await desk.start()
        out.print(escape(t("console.help")))
        try:
            await self._loop(desk)
        finally:
            await desk.stop()
            desk.close()
            store.close()

    async def _loop(self, desk: ReviewDesk) -> None:
        out = self._out
        customer, conversation = "Julie", uuid.uuid4().hex[:8]
        while True:
            prompt = t("console.prompt", name=f"[green]{escape(customer)}[/green]")
            line = await asyncio.to_thread(_ask, out, f"\n{prompt}")
            if line is None or line.strip() == "/quit":
                return
            line = line.strip()
            if line.startswith("/name"):
                customer = line.removeprefix("/name").strip() or customer
                conversation, self._card = uuid.uuid4().hex[:8], None
                out.print(escape(t("console.now_writing_as", name=customer)))
            elif line == "/new":
                conversation, self._card = uuid.uuid4().hex[:8], None
                out.print(escape(t("console.new_conversation")))
            elif line == "/help":
                out.print(escape(t("console.help")))
            elif self._card is not None and line in {"1", "2", "3", "e1", "e2", "e3", "d"}:
                await self._review(desk, self._card, line)
            elif line:
                await self._customer_says(desk, customer, conversation, line)

    async def _customer_says(
        self, desk: ReviewDesk, customer: str, conversation: str, line: str
    ) -> None:
        message = InboundMessage(
            platform="cli",
            conversation_id=conversation,
            customer_id=customer.lower(),
            customer_name=customer,
            text=line,
            platform_message_id=uuid.uuid4().hex,
            received_at=datetime.now(UTC),
        )
        try:
            outcome = await desk.receive(message)
        except Exception as exc:
            # The message is stored before it is analysed; say what broke and keep going.
            logger.exception("drafting failed")
            failed = escape(t("console.failed", reason=type(exc).__name__))
            self._out.print(f"[red]{failed}[/red]")
            return
        card = outcome.card
        self._card = card
        if card is None:
            self._out.print(f"[red]{escape(t('console.no_draft'))}[/red]")
            return
        print_drafted(self._out, line, card.analysis, _shown(card))
        self._out.print(f"\n[dim]{escape(t('console.reviewer_choices'))}[/dim]")

    async def _review(self, desk: ReviewDesk, card: ReviewCard, choice: str) -> None:
        out = self._out
        zone = desk.board.zone
        if choice == "d":
            outcome = await desk.act(self._action(ReviewAction.DISCARD, card.draft_id))
            if outcome.applied:
                out.print(escape(t("console.discarded")))
            elif outcome.notice is not None:
                out.print(escape(notice_text(outcome.notice, zone)))
            self._card = None
            return
        index = int(choice[-1]) - 1
        if index >= len(card.versions):
            if len(card.versions) == 1:
                out.print(escape(t("console.only_one_draft")))
            else:
                out.print(escape(t("console.only_n_drafts", count=len(card.versions))))
            return
        edited: str | None = None
        action = ReviewAction.SEND
        if choice.startswith("e"):
            edited = await asyncio.to_thread(_ask, out, escape(t("console.edit_prompt")))
            if not edited or not edited.strip():
                out.print(escape(t("console.nothing_typed")))
                return
            action, edited = ReviewAction.EDIT, edited.strip()
        self._delivered.clear()
        # Every version is listed on the console's card: the one picked was seen beside it.
        outcome = await desk.act(
            self._action(
                action,
                card.versions[index].draft_id,
                edited_text=edited,
                shown_draft_id=card.draft_id,
            )
        )
        self._card = None
        if not outcome.applied:
            reason = notice_text(outcome.notice, zone) if outcome.notice else None
            out.print(escape(t("console.not_sent", reason=reason or t("console.unknown_reason"))))
            return
        # The reply reaches the "customer" when the outbox delivers it, as on every platform.
        try:
            await asyncio.wait_for(self._delivered.wait(), timeout=_DELIVERY_WAIT)
        except TimeoutError:
            logger.warning("console: the approved reply is still in the outbox")

    @staticmethod
    def _action(
        action: ReviewAction,
        draft_id: int,
        *,
        edited_text: str | None = None,
        shown_draft_id: int | None = None,
    ) -> ReviewerAction:
        return ReviewerAction(
            action=action,
            platform="cli",
            reviewer_id=REVIEWER_ID,
            draft_id=draft_id,
            edited_text=edited_text,
            shown_draft_id=shown_draft_id,
        )


def _ask(out: Console, prompt: str) -> str | None:
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        return line if line else None
    try:
        return out.input(prompt)
    except (EOFError, KeyboardInterrupt):
        return None
