"""``replique learn`` as an operator runs it (in-process), and ``replique draft`` using what it
promoted. The learning itself, end to end through the review desk, is in
tests/integration/test_learning.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.learning import HELD_OUT_SHARE, is_held_out, learning_data
from bot.store import Store
from bot.store.promotions import ReviewedExample
from bot.training.datasets import LabelledText
from bot.training.trainer import TrainSettings, train_classifier

runner = CliRunner()


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """The database the commands open (DATABASE_URL), empty."""
    url = f"sqlite:///{tmp_path / 'replique.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("REPLIQUE_LANG", "en")
    monkeypatch.delenv("REPLIQUE_CONFIG", raising=False)
    with Store.open(url) as store:
        yield store


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A French intent model that knows two intents only: what ``draft`` says tells which model
    it used."""
    examples = [LabelledText(f"bonjour numéro {i}", "greeting") for i in range(6)]
    examples += [LabelledText(f"je veux un remboursement {i}", "return_refund") for i in range(6)]
    trained = train_classifier(examples, TrainSettings(lang="fr", max_epochs=4, min_epochs=1))
    return trained.save(tmp_path_factory.mktemp("tiny") / "model")


def test_learn_json_with_nothing_reviewed_promotes_nothing(database: Store, tmp_path: Path) -> None:
    result = runner.invoke(app, ["learn", "--json", "--models-dir", str(tmp_path / "models")])
    assert result.exit_code == 0, result.output
    reports = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["language"] for r in reports] == ["fr", "en"]
    for report in reports:
        assert report["corrections"] == 0
        assert report["promoted"] is False
        assert report["outcome"] == "nothing_new"
        assert report["after"] is None
        assert report["before"]["model"] == "shipped"
        assert 0.8 < report["before"]["accuracy"] <= 1.0
        assert report["before"]["n"] > 300
    assert not (tmp_path / "models").exists()
    assert database.active_models() == {}


def test_learn_says_so_in_words(database: Store, tmp_path: Path) -> None:
    result = runner.invoke(app, ["learn", "--lang", "en", "--models-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "en: 0 intent fix(es), 0 confirmed intent(s)" in result.stdout
    assert "nothing to learn" in result.stdout


def test_an_unknown_language_is_one_readable_line(database: Store) -> None:
    result = runner.invoke(app, ["learn", "--lang", "de"])
    assert result.exit_code == 1
    assert "--lang must be one of fr, en, not 'de'" in result.output


def test_rollback_returns_to_the_model_before(database: Store, tiny_model: Path) -> None:
    for model_id in ("first", "second"):
        database.record_promotion(
            language="fr",
            model_id=model_id,
            path=tiny_model,
            corrections=1,
            confirmed=0,
            figures={},
        )
    result = runner.invoke(app, ["learn", "--rollback", "--json"])
    assert result.exit_code == 0, result.output
    assert [json.loads(line) for line in result.stdout.splitlines()] == [
        {"language": "fr", "rolled_back": "second", "now": "first"},
        {"language": "en", "rolled_back": None, "now": "shipped"},
    ]
    result = runner.invoke(app, ["learn", "--rollback", "--lang", "fr"])
    assert "fr: first rolled back; now using the shipped model" in result.stdout
    assert database.active_models() == {}
    result = runner.invoke(app, ["learn", "--rollback", "--lang", "fr"])
    assert "fr: nothing to roll back" in result.stdout


def test_draft_uses_the_newest_promoted_model(database: Store, tiny_model: Path) -> None:
    line = json.dumps({"text": "Bonjour, où en est ma commande 4821 ?"}) + "\n"
    shipped = runner.invoke(app, ["draft", "--json"], input=line)
    assert json.loads(shipped.stdout)["intent"]["name"] == "order_status"
    database.record_promotion(
        language="fr", model_id="tiny", path=tiny_model, corrections=1, confirmed=0, figures={}
    )
    learned = runner.invoke(app, ["draft", "--json"], input=line)
    assert learned.exit_code == 0, learned.output
    assert json.loads(learned.stdout)["intent"]["name"] in {"greeting", "return_refund", "other"}


def test_draft_with_a_pinned_model_ignores_promotions(
    database: Store, tiny_model: Path, tmp_path: Path
) -> None:
    database.record_promotion(
        language="fr", model_id="tiny", path=tiny_model, corrections=1, confirmed=0, figures={}
    )
    shipped = Path(__file__).resolve().parents[2] / "bot" / "nlp" / "models" / "fr" / "intent"
    config = tmp_path / "replique.yml"
    config.write_text(f"models:\n  fr: {shipped}\n", encoding="utf-8")
    line = json.dumps({"text": "Bonjour, où en est ma commande 4821 ?"}) + "\n"
    pinned = runner.invoke(app, ["draft", "--json", "--config", str(config)], input=line)
    assert pinned.exit_code == 0, pinned.output
    assert json.loads(pinned.stdout)["intent"]["name"] == "order_status"


def test_the_held_out_share_is_stable_and_about_a_fifth() -> None:
    held = [pk for pk in range(1, 5001) if is_held_out(pk)]
    assert held == [pk for pk in range(1, 5001) if is_held_out(pk)]
    assert abs(len(held) / 5000 - HELD_OUT_SHARE) < 0.02


def test_only_fixes_are_held_out_and_contact_details_are_masked() -> None:
    at = datetime(2026, 12, 8, tzinfo=UTC)
    reviewed = [
        ReviewedExample(pk, "fr", f"écrivez-moi à julie{pk}@example.com", "question", True, at)
        for pk in range(1, 41)
    ]
    reviewed.append(ReviewedExample(99, "fr", "merci", "thanks", False, at))
    reviewed.append(ReviewedExample(100, "en", "thanks", "thanks", True, at))
    data = learning_data("fr", reviewed)
    assert data.corrections == 40
    assert data.confirmed == 1
    assert len(data.held_out) == sum(is_held_out(pk) for pk in range(1, 41)) > 0
    assert len(data.train) + len(data.held_out) == 41
    assert LabelledText("merci", "thanks") in data.train
    assert all("@" not in e.text and "[email]" in e.text for e in data.held_out)
    assert len(data.labels) == 41


def test_the_service_reads_promotions_while_it_runs(database: Store, tiny_model: Path) -> None:
    from bot.config import RESOURCES, Settings, load_config
    from bot.service import build_service

    config = load_config(RESOURCES / "replique.yml")
    service = build_service(
        settings=Settings(replique_playground=False), config=config, store=database
    )
    analyser = service.desk.replier.analyser
    text = "Bonjour, où en est ma commande 4821 ?"
    assert analyser.analyse(text, hint="fr").intent.name == "order_status"
    database.record_promotion(
        language="fr", model_id="tiny", path=tiny_model, corrections=1, confirmed=0, figures={}
    )
    assert analyser.refresh(force=True) == ("fr",)
    assert analyser.intent_model("fr") == tiny_model
    assert analyser.analyse(text, hint="fr").intent.name in {"greeting", "return_refund", "other"}
    service.desk.close()
