"""The ``replique`` command line: draft, check, init, train, eval, run, console, migrate, learn.

Every command reports a problem as one line that says what to do, and exits with status 1.
What the commands print comes from bot/i18n/, in the reader's language (French or English);
the ``help=`` texts and docstrings stay English, since Typer reads them at import.
"""

from __future__ import annotations

import functools
import json
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bot import cli_learning, cli_privacy, cli_templates
from bot.config import RESOURCES, load_config
from bot.domain import Platform
from bot.errors import RepliqueError
from bot.i18n import t

if TYPE_CHECKING:
    from bot.training.trainer import EpochReport

__all__ = ["app", "main"]

app = typer.Typer(
    name="replique",
    help="Réplique — reply copilot: personal, explained reply drafts for every customer message.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
stdout = Console(highlight=False, soft_wrap=True)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)

P = ParamSpec("P")
R = TypeVar("R")

ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="replique.yml to use (default: $REPLIQUE_CONFIG)."),
]


def friendly(command: Callable[P, R]) -> Callable[P, R]:
    """Turn Réplique's own errors into one readable line and exit status 1."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except RepliqueError as exc:
            stderr.print(f"replique: {escape(str(exc))}")
            raise typer.Exit(1) from None

    return wrapper


@app.command()
@friendly
def draft(
    text: Annotated[str | None, typer.Argument(help="The customer's message.")] = None,
    name: Annotated[str | None, typer.Option(help="The customer's display name.")] = None,
    channel: Annotated[str, typer.Option(help="telegram, slack or web.")] = "web",
    lang: Annotated[str | None, typer.Option(help="Language hint: fr or en.")] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Read JSON Lines on stdin, write JSON Lines.")
    ] = False,
    config: ConfigOption = None,
) -> None:
    """Print the analysis and the drafts for a message (or JSON Lines with --json)."""
    from bot.drafting.session import DraftRequest, DraftSession
    from bot.jsonl import run_jsonl

    app_config = load_config(config)
    session = DraftSession(app_config, replier=cli_learning.learned_replier(app_config))
    if as_json:
        run_jsonl(session, sys.stdin, sys.stdout)
        return
    if text is None:
        raise RepliqueError("cli.need_text")
    if channel not in ("telegram", "slack", "web", "cli"):
        raise RepliqueError("cli.bad_channel", channel=channel)
    platform: Platform = channel  # type: ignore[assignment]
    drafted = session.draft_many(
        [DraftRequest(text, customer_name=name, channel=platform, language_hint=lang)]
    )[0]
    from bot.channels.console import ShownDraft, print_drafted

    result = drafted.result
    shown = [ShownDraft(d.rank, d.text, d.template, d.promotional, d.why) for d in result.drafts]
    print_drafted(stdout, text, drafted.analysis, shown, blocked=result.blocked_reason)
    from bot.wording import facts_line, history_line

    for icon, line in (("🕘", history_line(drafted.history)), ("📦", facts_line(drafted.facts))):
        if line:
            stdout.print(escape(f"{icon} {line}"))


@app.command()
@friendly
def check(config: ConfigOption = None) -> None:
    """Validate the configuration, the catalogue, the models and every reply template."""
    from bot.drafting.check import check_templates
    from bot.nlp.analyser import Analyser

    app_config = load_config(config)
    problems: list[str] = []
    try:
        app_config.catalog_data  # noqa: B018  (loading it validates it)
    except RepliqueError as exc:
        problems.append(str(exc))
    analyser = Analyser(app_config)
    for lang in analyser.languages:
        for component in ("intent", "sentiment"):
            try:
                analyser.model_path(lang, component)
            except RepliqueError as exc:
                problems.append(str(exc))
    problems.extend(str(problem) for problem in check_templates(app_config))
    from bot.orders.probe import probe_orders

    orders = probe_orders(app_config)
    if orders.problem is not None:
        problems.append(str(orders.problem))
    elif orders.provider is None:
        stdout.print(escape(t("orders.check_none")))
    else:
        stdout.print(escape(t("orders.check_ok", provider=orders.provider, ms=orders.ms)))
    if app_config.catalog is not None and not app_config.has_catalog_file:
        # Not a problem (every file is optional), but worth knowing: no product is recognised.
        path = app_config.resolve(app_config.catalog)
        stdout.print(escape(t("cli.check_no_catalog", path=path)))
    if problems:
        stderr.print(t("cli.check_problems", count=len(problems)))
        for problem in problems:
            stderr.print(f"  - {escape(problem)}")
        raise typer.Exit(1)
    stdout.print(escape(t("cli.check_ok", brand=app_config.brand.name)))


@app.command()
@friendly
def init(
    directory: Annotated[Path, typer.Argument(help="Folder to write into.")] = Path("."),
    force: Annotated[bool, typer.Option(help="Overwrite files that exist.")] = False,
) -> None:
    """Write a commented replique.yml, a sample catalog.yml and orders.csv, and a copy of the
    templates."""
    targets = [directory / "replique.yml", directory / "catalog.yml", directory / "templates"]
    existing = [str(target) for target in targets if target.exists()]
    if existing and not force:
        raise RepliqueError("cli.init_exists", paths=", ".join(existing))
    directory.mkdir(parents=True, exist_ok=True)
    config_text = (RESOURCES / "replique.yml").read_text(encoding="utf-8")
    config_text = config_text.replace("# templates: templates", "templates: templates")
    (directory / "replique.yml").write_text(config_text, encoding="utf-8")
    shutil.copyfile(RESOURCES / "catalog.yml", directory / "catalog.yml")
    # The sample orders the configuration's ``orders:`` section reads (docs/orders.md).
    if not (directory / "orders.csv").exists():
        shutil.copyfile(RESOURCES / "orders.csv", directory / "orders.csv")
    shutil.copytree(
        load_config(RESOURCES / "replique.yml").templates_dir,
        directory / "templates",
        dirs_exist_ok=True,
    )
    stdout.print(escape(t("cli.init_done", config=directory / "replique.yml")))


@app.command()
@friendly
def train(
    data: Annotated[Path, typer.Option(help="CSV (text,label) or YAML training file.")],
    out: Annotated[Path, typer.Option(help="Folder to write the model to.")],
    lang: Annotated[
        str | None,
        typer.Option(
            help="Language of the data: en or fr (default: the YAML's language:, else en)."
        ),
    ] = None,
    arch: Annotated[
        str,
        typer.Option(
            help="Architecture: auto (default: tfidf_hidden from 5,000 examples, tfidf below), "
            "tfidf, tfidf_hidden, tfidf_wide, tfidf_vectors (French word vectors), bow, "
            "bow_words or ensemble."
        ),
    ] = "auto",
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same model).")] = 0,
    max_epochs: Annotated[int, typer.Option(help="Upper bound on training epochs.")] = 40,
) -> None:
    """Train an intent model from labelled examples."""
    from bot.training.datasets import language_of, load_examples
    from bot.training.handoff import MIN_THRESHOLD
    from bot.training.trainer import (
        MIN_TO_HOLD_OUT,
        TrainSettings,
        can_validate,
        resolve_arch,
        train_classifier,
    )

    declared = language_of(data)
    if lang is not None and declared is not None and lang != declared:
        raise RepliqueError("cli.lang_mismatch", lang=lang, declared=declared, path=data)
    lang = lang or declared or "en"
    if lang not in ("en", "fr"):
        raise RepliqueError("cli.bad_lang", lang=lang)
    examples = load_examples(data)
    settings = TrainSettings(lang=lang, arch=arch, seed=seed, max_epochs=max_epochs)
    arch = resolve_arch(arch, len(examples))
    stdout.print(escape(t("cli.train_start", count=len(examples), lang=lang, arch=arch, seed=seed)))
    if not can_validate(examples):
        stdout.print(
            escape(t("cli.train_no_validation", each=MIN_TO_HOLD_OUT, threshold=MIN_THRESHOLD))
        )
    with _TrainingProgress(max_epochs) as progress:
        trained = train_classifier(examples, settings, on_epoch=progress.report)
    trained.save(out)
    if not trained.n_dev:
        saved = t(
            "cli.train_saved_unvalidated",
            out=out,
            threshold=trained.threshold,
            seconds=trained.seconds,
            lang=lang,
        )
        stdout.print(escape(saved))
        return
    saved = t(
        "cli.train_saved",
        out=out,
        accuracy=trained.dev.accuracy,
        threshold=trained.threshold,
        seconds=trained.seconds,
        lang=lang,
    )
    stdout.print(escape(saved))


class _TrainingProgress:
    """Epoch progress: a bar with the current validation score on a terminal, lines otherwise."""

    def __init__(self, max_epochs: int) -> None:
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self._max_epochs = max_epochs
        self._best = 0.0
        self._bar: Progress | None = None
        self._task: Any = None
        if stdout.is_terminal:
            self._bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.completed}/{task.total}"),
                TimeElapsedColumn(),
                console=stdout,
            )

    def __enter__(self) -> _TrainingProgress:
        if self._bar is not None:
            self._bar.start()
            self._task = self._bar.add_task(
                t("cli.train_progress", accuracy=0.0, best=0.0), total=self._max_epochs
            )
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def report(self, epoch: EpochReport) -> None:
        if epoch.refit:
            line = t("cli.train_refit", epoch=epoch.epoch, epochs=epoch.total, loss=epoch.loss)
            if self._bar is not None:
                self._bar.update(
                    self._task,
                    description=t("cli.train_progress_refit"),
                    completed=epoch.epoch,
                    total=epoch.total,
                )
                self._bar.console.print(escape(line))
            else:
                stdout.print(escape(line))
            return
        if not epoch.validated:
            line = t("cli.train_epoch_unvalidated", epoch=epoch.epoch, loss=epoch.loss)
            if self._bar is not None:
                self._bar.update(self._task, completed=epoch.epoch)
                self._bar.console.print(escape(line))
            else:
                stdout.print(escape(line))
            return
        self._best = max(self._best, epoch.dev.accuracy)
        line = t(
            "cli.train_epoch",
            epoch=epoch.epoch,
            loss=epoch.loss,
            accuracy=epoch.dev.accuracy,
            macro_f1=epoch.dev.macro_f1,
            mark=" *" if epoch.best else "",
        )
        if self._bar is None:
            stdout.print(escape(line))
            return
        self._bar.update(
            self._task,
            completed=epoch.epoch,
            description=t("cli.train_progress", accuracy=epoch.dev.accuracy, best=self._best),
        )
        self._bar.console.print(escape(line))


@app.command("eval")
@friendly
def evaluate(
    model: Annotated[Path, typer.Option(help="Model folder written by 'replique train'.")],
    data: Annotated[Path, typer.Option(help="CSV (text,label) or YAML evaluation file.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Score an intent model on labelled examples."""
    from bot.training.datasets import load_examples
    from bot.training.evaluation import score
    from bot.training.model_io import load_classifier
    from bot.training.trainer import predict_labels

    examples = load_examples(data)
    loaded = load_classifier(model)
    texts = [e.text for e in examples]
    predict_labels(loaded.nlp, loaded.component, texts[:32])  # warm-up
    started = time.perf_counter()
    predicted = predict_labels(loaded.nlp, loaded.component, texts, threshold=loaded.threshold)
    elapsed = time.perf_counter() - started
    scores = score([e.label for e in examples], [label for label, _ in predicted])
    result: dict[str, Any] = {
        "accuracy": round(scores.accuracy, 4),
        "macro_f1": round(scores.macro_f1, 4),
        "n": scores.n,
        "messages_per_second": round(scores.n / elapsed, 1) if elapsed > 0 else 0.0,
    }
    if as_json:
        sys.stdout.write(json.dumps(result) + "\n")
        return
    table = Table(t("cli.eval_intent"), t("cli.eval_precision"), t("cli.eval_recall"), "F1", "n")
    for s in scores.per_label:
        table.add_row(
            s.label, f"{s.precision:.2f}", f"{s.recall:.2f}", f"{s.f1:.2f}", str(s.support)
        )
    stdout.print(table)
    stdout.print(
        t(
            "cli.eval_summary",
            accuracy=result["accuracy"],
            macro_f1=result["macro_f1"],
            n=scores.n,
            speed=result["messages_per_second"],
        )
    )
    if scores.confusions:
        stdout.print(t("cli.eval_confusions"))
        for gold, pred, count in scores.confusions[:8]:
            stdout.print(escape(f"  {gold} -> {pred}: {count}"))


@app.command()
@friendly
def console(config: ConfigOption = None) -> None:
    """Type as a customer, see the analysis and the drafts, choose one (developer console)."""
    from bot.channels.console import run_console

    run_console(load_config(config))


@app.command()
@friendly
def run(config: ConfigOption = None) -> None:
    """Start the service: the configured Telegram/Slack adapters, or the local web playground."""
    from bot.config import load_settings
    from bot.service import serve

    settings = load_settings()
    serve(settings=settings, config=load_config(config, settings), echo=typer.echo)


@app.command()
@friendly
def migrate(
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object instead of a sentence.")
    ] = False,
) -> None:
    """Bring the database (DATABASE_URL) to the newest schema and say which revision it is at."""
    from bot.config import load_settings
    from bot.store import Store, redact_url

    url = load_settings().effective_database_url
    # Store.open migrates (under a lock on PostgreSQL, so replicas starting together wait their
    # turn) and raises StoreError, one line without the password, when it cannot.
    with Store.open(url) as store:
        done = store.migration
    shown = redact_url(url)
    if as_json:
        answer = {
            "database": shown,
            "previous": done.before,
            "revision": done.after,
            "upgraded": done.changed,
        }
        sys.stdout.write(json.dumps(answer) + "\n")
        return
    if done.before is None:
        line = t("migrate.created", url=shown, revision=done.after)
    elif done.changed:
        line = t("migrate.upgraded", url=shown, before=done.before, revision=done.after)
    else:
        line = t("migrate.current", url=shown, revision=done.after)
    stdout.print(escape(line))


# The customer's data and the audit log: bot/cli_privacy.py.
app.command("export")(friendly(cli_privacy.export))
app.command("forget")(friendly(cli_privacy.forget))
app.command("audit")(friendly(cli_privacy.audit))
# Suggestions learned from reviewers' edits: bot/cli_templates.py.
app.add_typer(cli_templates.app, name="templates")
# Learning from the reviewers: bot/cli_learning.py.
app.command("learn")(friendly(cli_learning.learn))


def main() -> None:
    app()
