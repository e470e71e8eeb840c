"""``replique templates suggest``: the reviewers' most frequent edit of a template, written as a
new variant file for a person to review and commit.

It reads the edits in the service's database (``DATABASE_URL``, else the SQLite file under
``./var/``), groups them (``bot/review/suggestions.py``), writes the strongest group as
``templates/<lang>/<intent>/suggested_<variant>.j2`` next to the template it came from, and
checks it as ``replique check`` does: a file that would not pass is removed again. Exit status:
0 written (or, with ``--dry-run``, shown), 1 a problem, 3 no edit is frequent enough yet.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated, Final

import typer
from rich.console import Console
from rich.markup import escape

from bot.config import load_config, load_settings
from bot.errors import RepliqueError
from bot.i18n import t

__all__ = ["NOTHING_YET", "app"]

#: Exit status when no edit was made often enough to suggest anything.
NOTHING_YET: Final = 3

app = typer.Typer(help="Reply templates: suggestions learned from reviewers' edits.")
stdout = Console(highlight=False, soft_wrap=True)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)


@app.command()
def suggest(
    config: Annotated[
        str | None,
        typer.Option("--config", "-c", help="replique.yml to use (default: $REPLIQUE_CONFIG)."),
    ] = None,
    at_least: Annotated[
        int, typer.Option("--min", help="Edits of one kind needed before suggesting it.")
    ] = 3,
    dry_run: Annotated[bool, typer.Option(help="Print the variant; write nothing.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Write the most frequent edit of a template as a new variant (review it, then commit)."""
    from pathlib import Path

    from bot.drafting.check import check_templates
    from bot.review.suggestions import group_edits, suggestion_path, variant_source
    from bot.store import Store

    try:
        app_config = load_config(Path(config) if config else None)
        with Store.open(load_settings().effective_database_url) as store:
            edits = store.template_edits()
    except RepliqueError as exc:
        stderr.print(escape(str(exc)))
        raise typer.Exit(1) from None
    groups = group_edits(edits, at_least=max(1, at_least))
    if not groups:
        if as_json:
            sys.stdout.write(json.dumps({"written": None, "edits": 0}) + "\n")
        else:
            stdout.print(escape(t("cli.suggest_nothing", count=max(1, at_least))))
        raise typer.Exit(NOTHING_YET)
    group = groups[0]
    offer = {"code": app_config.offers.code} if app_config.offers.code else None
    source = variant_source(group, offer=offer)
    path = suggestion_path(group, app_config.templates_dir)
    if dry_run:
        if as_json:
            answer = {"written": None, "path": str(path), "template": group.template,
                      "edits": group.count, "source": source}  # fmt: skip
            sys.stdout.write(json.dumps(answer, ensure_ascii=False) + "\n")
        else:
            stdout.print(escape(source), end="")
        return
    path.write_text(source, encoding="utf-8")
    name = path.relative_to(app_config.templates_dir).with_suffix("").as_posix()
    problems = [str(p) for p in check_templates(app_config) if name in str(p)]
    if problems:
        path.unlink()
        stderr.print(escape(t("cli.suggest_failed_check", path=path)))
        for problem in problems:
            stderr.print(f"  - {escape(problem)}")
        raise typer.Exit(1)
    if as_json:
        answer = {"written": str(path), "template": group.template, "edits": group.count}
        sys.stdout.write(json.dumps(answer, ensure_ascii=False) + "\n")
        return
    stdout.print(
        escape(t("cli.suggest_written", path=path, count=group.count, template=group.template))
    )
