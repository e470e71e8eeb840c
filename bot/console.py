"""The developer console: a terminal conversation with Réplique on the real store.

Type as a customer; Réplique shows the analysis and the ranked drafts; you act as the reviewer:
send one, edit it, or discard. Everything goes through the same copilot, store and review
transitions as the chat channels. Commands start with a slash (``/help``).
"""

from __future__ import annotations

import sys
import uuid
from datetime import UTC, datetime

from rich.console import Console
from rich.markup import escape

from bot.app import Copilot
from bot.config import AppConfig, Settings
from bot.domain import Analysis, InboundMessage, ReviewAction
from bot.drafting.drafter import DraftResult
from bot.store import Store

__all__ = ["print_drafted", "run_console"]

_HELP = """Type a message as the customer would. Then choose what the reviewer does:
  1, 2, 3      send that draft          e1, e2, e3   edit that draft, then send
  d            discard the drafts       (Enter)      leave them pending
Commands: /name NAME  be another customer   /new  start a new conversation
          /help       this text             /quit leave (Ctrl-D works too)"""


def print_drafted(out: Console, text: str, analysis: Analysis, result: DraftResult) -> None:
    """The analysis on one line, then each draft with its template and its "why"."""
    entities = ", ".join(f"{e.label}={e.value or e.text}" for e in analysis.entities) or "none"
    out.print(f"[dim]message:[/dim] {escape(text)!s}")
    out.print(
        f"[bold]{analysis.intent.name}[/bold] {analysis.intent.confidence:.0%} · "
        f"{analysis.sentiment} · {analysis.language}"
        f"{' · ' + analysis.formality if analysis.formality else ''}"
        f"{' · urgent' if analysis.is_urgent else ''}"
        f"{' · question' if analysis.is_question else ''} · entities: {escape(entities)}"
    )
    if analysis.alternatives:
        out.print(
            "[dim]alternatives: "
            + ", ".join(f"{a.name} {a.confidence:.0%}" for a in analysis.alternatives)
            + "[/dim]"
        )
    if analysis.handoff:
        out.print(f"[yellow]hand-off to a person:[/yellow] {escape(analysis.handoff_reason or '')}")
    if not result.drafts:
        out.print(f"[red]no draft:[/red] {escape(result.blocked_reason or '')}")
    for draft in result.drafts:
        flag = " [magenta]promotional[/magenta]" if draft.promotional else ""
        out.print(f"\n[bold cyan]Draft {draft.rank}[/bold cyan] [dim]{draft.template}[/dim]{flag}")
        out.print(escape(draft.text))
        out.print(f"[dim]why: {escape(draft.why)}[/dim]")


def run_console(config: AppConfig, *, settings: Settings | None = None) -> None:
    settings = settings or Settings()
    out = Console(highlight=False, soft_wrap=True)
    store = Store.open(settings.effective_database_url)
    copilot = Copilot(config=config, store=store)
    out.print(f"[bold]Réplique[/bold] console — {escape(config.brand.name)}. Loading the analyser…")
    copilot.analyser.warm_up()
    out.print(_HELP)
    customer, conversation = "Julie", uuid.uuid4().hex[:8]
    pending: tuple[int, ...] = ()
    try:
        while True:
            line = _ask(out, f"\n[green]{escape(customer)}[/green] (customer)> ")
            if line is None or line.strip() == "/quit":
                break
            line = line.strip()
            if line.startswith("/name"):
                customer = line.removeprefix("/name").strip() or customer
                conversation, pending = uuid.uuid4().hex[:8], ()
                out.print(f"Now writing as {escape(customer)} (new conversation).")
                continue
            if line == "/new":
                conversation, pending = uuid.uuid4().hex[:8], ()
                out.print("New conversation.")
                continue
            if line == "/help":
                out.print(_HELP)
                continue
            if pending and line in {"1", "2", "3", "e1", "e2", "e3", "d"}:
                pending = _review(out, copilot, pending, line)
                continue
            handled = copilot.handle(
                InboundMessage(
                    platform="cli",
                    conversation_id=conversation,
                    customer_id=customer.lower(),
                    customer_name=customer,
                    text=line,
                    platform_message_id=uuid.uuid4().hex,
                    received_at=datetime.now(UTC),
                )
            )
            print_drafted(out, line, handled.analysis, handled.result)
            pending = handled.draft_ids
            if pending:
                out.print("\n[dim]Reviewer: 1-3 send · e1-e3 edit · d discard · Enter later[/dim]")
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
        out.print("Drafts discarded: nothing was sent.")
        return ()
    index = int(choice[-1]) - 1
    if index >= len(pending):
        out.print(f"There are only {len(pending)} drafts.")
        return pending
    edited: str | None = None
    action = ReviewAction.SEND
    if choice.startswith("e"):
        edited = _ask(out, "Corrected reply (one line)> ")
        if not edited or not edited.strip():
            out.print("Nothing typed: the draft is still pending.")
            return pending
        action = ReviewAction.EDIT
        edited = edited.strip()
    result = copilot.decide(pending[index], action=action, reviewer="console", edited_text=edited)
    if not result.applied:
        out.print(f"Not sent: {escape(result.reason or 'unknown reason')}")
        return ()
    sent = result.draft.final_text if result.draft else ""
    out.print(f"[bold green]→ sent to the customer:[/bold green]\n{escape(sent or '')}")
    return ()
