"""``replique export``, ``replique forget`` and ``replique audit``: the customer's data and the
audit log from the command line.

They work on the database the service uses (``DATABASE_URL``, else the SQLite file under
``./var/``). A customer is named as the store keys them, ``platform:id`` (``slack:U0123ABCD``,
``telegram:5550001``). Exit status: 0 done, 1 a problem (bad input, database unreachable), 3 the
store holds nothing about that customer. ``bot/cli.py`` registers these commands.
"""

from __future__ import annotations

import getpass
import json
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any, Final

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bot.config import load_settings
from bot.errors import RepliqueError
from bot.i18n import t

if TYPE_CHECKING:
    from bot.store import Store

__all__ = ["NOT_FOUND", "audit", "export", "forget"]

#: Exit status when the store holds nothing about the customer named.
NOT_FOUND: Final = 3

stdout = Console(highlight=False, soft_wrap=True)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)

CustomerArgument = Annotated[
    str, typer.Argument(help="The customer as platform:id, e.g. slack:U0123ABCD, telegram:5550001.")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _open() -> Store:
    # Imported here, like the other commands' heavy modules: "replique --help" stays quick.
    from bot.store import Store

    return Store.open(load_settings().effective_database_url)


def _customer(value: str) -> tuple[str, str]:
    from bot.store.privacy import parse_customer_key

    parsed = parse_customer_key(value)
    if parsed is None:
        raise RepliqueError("cli.bad_customer", value=value)
    return parsed


def _not_found(key: str, *, as_json: bool) -> typer.Exit:
    if as_json:
        sys.stdout.write(json.dumps({"customer": key, "found": False}) + "\n")
    stderr.print(f"replique: {escape(t('cli.unknown_customer', customer=key))}")
    return typer.Exit(NOT_FOUND)


def _counts(rows: dict[str, int]) -> str:
    return ", ".join(f"{name} {n}" for name, n in rows.items() if n) or "-"


def _operator() -> str:
    """Who ran the command, for the audit log: the login name, when the system knows it."""
    try:
        return f"cli:{getpass.getuser()}"
    except (OSError, KeyError):
        return "cli"


def export(customer: CustomerArgument, as_json: JsonOption = False) -> None:
    """Print everything held about one customer (every row of every table with --json)."""
    platform, user_id = _customer(customer)
    key = f"{platform}:{user_id}"
    with _open() as store:
        exported = store.export_customer(platform, user_id)
    if exported is None:
        raise _not_found(key, as_json=as_json)
    if as_json:
        sys.stdout.write(json.dumps(exported, ensure_ascii=False, indent=2) + "\n")
        return
    tables: dict[str, list[dict[str, Any]]] = exported["tables"]
    name = tables["customers"][0].get("display_name") or t("cli.export_no_name")
    rows = _counts({table: len(found) for table, found in tables.items()})
    stdout.print(escape(t("cli.export_summary", customer=key, name=name, rows=rows)))
    for message in tables["messages"]:
        inbound = message["direction"] == "inbound"
        direction = t("cli.export_inbound") if inbound else t("cli.export_outbound")
        line = t("cli.export_message", at=message["received_at"], direction=direction, text="")
        # The customer's text is printed as it is: never read as markup.
        stdout.print(escape(line) + escape(message["text"]))


def forget(
    customer: Annotated[
        str | None,
        typer.Argument(help="The customer as platform:id, e.g. slack:U0123ABCD."),
    ] = None,
    older_than: Annotated[
        int | None,
        typer.Option(
            "--older-than",
            help="Instead of one customer: erase everyone's data older than this many days.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Erase every row about one customer, or all customer data older than --older-than days."""
    if customer is not None and older_than is not None:
        raise RepliqueError("cli.forget_both")
    if older_than is not None:
        _expire(older_than, as_json=as_json)
        return
    if customer is None:
        raise RepliqueError("cli.forget_what")
    platform, user_id = _customer(customer)
    key = f"{platform}:{user_id}"
    with _open() as store:
        erased = store.forget_customer(platform, user_id, by=_operator())
    if erased is None:
        raise _not_found(key, as_json=as_json)
    if as_json:
        answer = {
            "customer": key,
            "found": True,
            "rows": dict(erased),
            "total": erased.total,
            "file_scrubbed": erased.scrubbed,
        }
        sys.stdout.write(json.dumps(answer) + "\n")
        return
    stdout.print(
        escape(t("cli.forget_done", customer=key, total=erased.total, rows=_counts(erased)))
    )
    if not erased.scrubbed:
        stdout.print(escape(t("cli.forget_not_scrubbed")))


def _expire(days: int, *, as_json: bool) -> None:
    from bot.store.privacy import RETENTION_BATCH

    if days < 1:
        raise RepliqueError("cli.older_than_min", days=days)
    totals: dict[str, int] = {}
    now = datetime.now(UTC)
    with _open() as store:
        while True:
            counts = store.apply_retention(now, days)
            for table, n in counts.items():
                totals[table] = totals.get(table, 0) + n
            if counts.get("messages", 0) < RETENTION_BATCH:
                break
    total = sum(totals.values())
    if as_json:
        sys.stdout.write(json.dumps({"older_than_days": days, "rows": totals, "total": total}))
        sys.stdout.write("\n")
    elif total:
        stdout.print(escape(t("cli.retention_done", days=days, total=total, rows=_counts(totals))))
    else:
        stdout.print(escape(t("cli.retention_nothing", days=days)))


def audit(
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON Lines: one entry per line, newest first.")
    ] = False,
    limit: Annotated[
        int | None,
        typer.Option(help="At most this many entries (default: all with --json, 50 otherwise)."),
    ] = None,
    since: Annotated[
        datetime | None, typer.Option(help="Only entries from this date or time on (UTC).")
    ] = None,
) -> None:
    """Print the audit log: reviewer actions, refused attempts, privacy operations."""
    if limit is None and not as_json:
        limit = 50
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    with _open() as store:
        entries = store.audit_entries(limit=limit, since=since)
    if as_json:
        for entry in entries:
            sys.stdout.write(json.dumps(entry.as_json()) + "\n")
        return
    if not entries:
        stdout.print(escape(t("cli.audit_empty")))
        return
    table = Table(
        t("cli.audit_when"),
        t("cli.audit_who"),
        t("cli.audit_platform"),
        t("cli.audit_action"),
        t("cli.audit_outcome"),
        t("cli.audit_reason"),
        t("cli.audit_card"),
    )
    for entry in entries:
        table.add_row(
            *(
                escape(value)
                for value in (
                    entry.at.strftime("%Y-%m-%d %H:%M:%S"),
                    entry.actor,
                    entry.platform,
                    entry.action,
                    entry.outcome,
                    entry.reason or "",
                    "" if entry.card_id is None else str(entry.card_id),
                )
            )
        )
    stdout.print(table)
