"""``replique learn``: retrain the intent models from the reviewers' labels, promote a model only
when it is not worse, or roll the newest promotion back (docs/learning.md).

It works on the database the service uses (``DATABASE_URL``, else the SQLite file under
``./var/``) and writes promoted models under ``./var/models/`` (``--models-dir``). Exit status 0
whether or not a model was promoted (``--json`` says which); 1 on a problem. ``bot/cli.py``
registers the command.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Final

import typer
from rich.console import Console
from rich.markup import escape

from bot.config import SHIPPED_LANGUAGES, AppConfig, load_config, load_settings
from bot.errors import RepliqueError
from bot.i18n import t

if TYPE_CHECKING:
    from bot.drafting.replier import Replier
    from bot.learning.learn import LearningReport

__all__ = ["learn"]

#: What a language's run ended with, when no model was promoted.
_NOT_PROMOTED: Final = {
    "nothing_new": "learn.nothing_new",
    "unchanged": "learn.unchanged",
    "rolled_back_before": "learn.rolled_back_before",
    "worse_on_eval": "learn.worse_on_eval",
    "worse_on_held_out": "learn.worse_on_held_out",
}

stdout = Console(highlight=False, soft_wrap=True)


def learn(
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object per language.")
    ] = False,
    rollback: Annotated[
        bool, typer.Option("--rollback", help="Go back to the model used before the newest one.")
    ] = False,
    lang: Annotated[
        list[str] | None, typer.Option(help="Only this language (repeat for more): fr or en.")
    ] = None,
    models_dir: Annotated[
        Path | None, typer.Option(help="Where promoted models are written (default: var/models).")
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option("--config", "-c", help="replique.yml to use (default: $REPLIQUE_CONFIG)."),
    ] = None,
) -> None:
    """Retrain the intent models from the reviewers' fixes; promote only when not worse."""
    from bot.learning.learn import DEFAULT_MODELS_DIR, learn_language, roll_back
    from bot.store import Store

    settings = load_settings()
    app_config = load_config(config, settings)
    for chosen in lang or ():
        if chosen not in SHIPPED_LANGUAGES:
            raise RepliqueError("learn.bad_lang", lang=chosen, choices=", ".join(SHIPPED_LANGUAGES))
    languages = lang or [x for x in app_config.brand.languages if x in SHIPPED_LANGUAGES]
    with Store.open(settings.effective_database_url) as store:
        if rollback:
            for done in roll_back(store, app_config, languages=languages):
                if as_json:
                    sys.stdout.write(json.dumps(done.as_json()) + "\n")
                elif done.rolled_back is None:
                    stdout.print(escape(t("learn.nothing_to_roll_back", lang=done.language)))
                else:
                    now = done.now.model_id if done.now else t("learn.shipped")
                    line = t(
                        "learn.rolled_back",
                        lang=done.language,
                        model=done.rolled_back.model_id,
                        now=now,
                    )
                    stdout.print(escape(line))
            return
        for language in languages:
            report = learn_language(
                store, app_config, language, models_dir=models_dir or DEFAULT_MODELS_DIR
            )
            if as_json:
                # One line per language as soon as it is done: a nightly job's log shows progress.
                sys.stdout.write(json.dumps(report.as_json()) + "\n")
                sys.stdout.flush()
            else:
                _print_report(report, app_config)


def _print_report(report: LearningReport, config: AppConfig) -> None:
    from bot.learning.learn import SHIPPED

    lang = report.language
    line = t("learn.counts", lang=lang, corrections=report.corrections, confirmed=report.confirmed)
    stdout.print(escape(line))
    before, after = report.before, report.after
    name = t("learn.shipped") if before.model == SHIPPED else before.model
    if after is not None:
        stdout.print(
            escape(
                t(
                    "learn.scores",
                    before=before.accuracy,
                    before_model=name,
                    after=after.accuracy,
                    n=after.n,
                )
            )
        )
        if after.held_out_accuracy is not None and before.held_out_accuracy is not None:
            held = t(
                "learn.held_out",
                before=before.held_out_accuracy,
                after=after.held_out_accuracy,
                n=after.held_out_n,
            )
            stdout.print(escape(held))
    if report.promoted:
        promoted = t(
            "learn.promoted",
            path=report.path,
            seconds=report.seconds,
            check_every=config.models.check_every,
        )
        stdout.print(escape(promoted))
    else:
        stdout.print(escape(t(_NOT_PROMOTED[report.outcome], model=name)))
    if getattr(config.models, lang, None) is not None:
        stdout.print(escape(t("learn.pinned", lang=lang)))


def learned_replier(app_config: AppConfig) -> Replier | None:
    """A replier whose analyser uses the newest promoted intent models, for ``replique draft``;
    None when there is no store to read them from (the shipped models are used then)."""
    from bot.drafting.replier import Replier
    from bot.learning.promoted import promoted_models
    from bot.nlp.analyser import Analyser

    found = promoted_models(load_settings())
    if found is None:
        return None
    source, _store = found  # stays open while the command runs: the analyser reads it once
    return Replier(app_config, analyser=Analyser(app_config, learned=source))
