"""The developer console: a terminal conversation with Réplique on the real store.

Type as a customer; Réplique shows the analysis and the ranked drafts; you act as the reviewer:
send one, edit it, or discard. Everything goes through the same copilot, store and review
transitions as the chat channels. Commands start with a slash (``/help``).
"""

from __future__ import annotations

import logging
import sys
import uuid
from datetime import UTC, datetime

from rich.console import Console
from rich.markup import escape

from bot.app import Copilot
from bot.config import AppConfig, Settings
from bot.domain import Analysis, InboundMessage, ReviewAction
from bot.drafting.drafter import DraftResult
from bot.i18n import t
from bot.store import Store

__all__ = ["print_drafted", "run_console"]

logger = logging.getLogger(__name__)


def print_drafted(out: Console, text: str, analysis: Analysis, result: DraftResult) -> None:
    """The analysis on one line, then each draft with its template and its "why"."""
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
    if analysis.handoff:
        out.print(
            f"[yellow]{escape(t('console.handoff'))}[/yellow] "
            f"{escape(analysis.handoff_reason or '')}"
        )
    if not result.drafts:
        out.print(
            f"[red]{escape(t('console.no_draft'))}[/red] {escape(result.blocked_reason or '')}"
        )
    for draft in result.drafts:
        promotional = escape(t("console.promotional"))
        flag = f" [magenta]{promotional}[/magenta]" if draft.promotional else ""
        title = escape(t("console.draft", rank=draft.rank))
        out.print(f"\n[bold cyan]{title}[/bold cyan] [dim]{draft.template}[/dim]{flag}")
        out.print(escape(draft.text))
        out.print(f"[dim]{escape(t('console.why', why=draft.why))}[/dim]")


def run_console(config: AppConfig, *, settings: Settings | None = None) -> None:
    settings = settings or Settings()
    out = Console(highlight=False, soft_wrap=True)
    store = Store.open(settings.effective_database_url)
    copilot = Copilot(config=config, store=store)
    # Values are escaped, the catalogue's text carries no markup: the markup here is ours.
    out.print(t("console.banner", name="[bold]Réplique[/bold]", brand=escape(config.brand.name)))
    copilot.analyser.warm_up()
    out.print(escape(t("console.help")))
    customer, conversation = "Julie", uuid.uuid4().hex[:8]
    pending: tuple[int, ...] = ()
    try:
        while True:
            prompt = t("console.prompt", name=f"[green]{escape(customer)}[/green]")
            line = _ask(out, f"\n{prompt}")
            if line is None or line.strip() == "/quit":
                break
            line = line.strip()
            if line.startswith("/name"):
                customer = line.removeprefix("/name").strip() or customer
                conversation, pending = uuid.uuid4().hex[:8], ()
                out.print(escape(t("console.now_writing_as", name=customer)))
                continue
            if line == "/new":
                conversation, pending = uuid.uuid4().hex[:8], ()
                out.print(escape(t("console.new_conversation")))
                continue
            if line == "/help":
                out.print(escape(t("console.help")))
                continue
            if pending and line in {"1", "2", "3", "e1", "e2", "e3", "d"}:
                pending = _review(out, copilot, pending, line)
                continue
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
                handled = copilot.handle(message)
            except Exception as exc:
                # The message is already stored; say what broke and keep the session going.
                logger.exception("drafting failed")
                out.print(f"[red]{escape(t('console.failed', reason=type(exc).__name__))}[/red]")
                continue
            print_drafted(out, line, handled.analysis, handled.result)
            pending = handled.draft_ids
            if pending:
                out.print(f"\n[dim]{escape(t('console.reviewer_choices'))}[/dim]")
    finally:
        store.close()


def _ask(out: Console, prompt: str) -> str | None:
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        return line if line else None
    try:
        return out.input(prompt)
    except (EOFError, KeyboardInterrupt):
        return None


def _review(
    out: Console, copilot: Copilot, pending: tuple[int, ...], choice: str
) -> tuple[int, ...]:
    if choice == "d":
        for draft_id in pending:
            copilot.decide(draft_id, action=ReviewAction.DISCARD, reviewer="console")
        out.print(escape(t("console.discarded")))
        return ()
    index = int(choice[-1]) - 1
    if index >= len(pending):
        if len(pending) == 1:
            out.print(escape(t("console.only_one_draft")))
        else:
            out.print(escape(t("console.only_n_drafts", count=len(pending))))
        return pending
    edited: str | None = None
    action = ReviewAction.SEND
    if choice.startswith("e"):
        edited = _ask(out, escape(t("console.edit_prompt")))
        if not edited or not edited.strip():
            out.print(escape(t("console.nothing_typed")))
            return pending
        action = ReviewAction.EDIT
        edited = edited.strip()
    result = copilot.decide(pending[index], action=action, reviewer="console", edited_text=edited)
    if not result.applied:
        reason = result.reason or t("console.unknown_reason")
        out.print(escape(t("console.not_sent", reason=reason)))
        return ()
    sent = result.draft.final_text if result.draft else ""
    out.print(f"[bold green]{escape(t('console.sent'))}[/bold green]\n{escape(sent or '')}")
    return ()
