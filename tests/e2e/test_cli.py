"""The command line as a user runs it: the installed entry point, real stdin and stdout."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app

REPLIQUE = str(Path(sys.executable).parent / "replique")
runner = CliRunner()


def run(
    *args: str, stdin: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [REPLIQUE, *args], input=stdin, capture_output=True, text=True, timeout=120, cwd=cwd
    )


def test_draft_json_follows_the_spec_and_survives_a_broken_line() -> None:
    lines = [
        {
            "text": "Bonjour, ma commande #4821 est arrivée avec le sac déchiré, inacceptable",
            "customer": {"id": "u1", "name": "Julie"},
            "channel": "telegram",
        },
        "this is { not json",
        {
            "text": "thx a lot, the espresso aurore is amazing!!",
            "customer": {"id": "u2", "name": "Sam"},
        },
        {"customer": {"id": "u3"}},
        {"text": "STOP"},
    ]
    stdin = "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n"
    result = run("draft", "--json", stdin=stdin)
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 5
    complaint, broken, thanks, no_text, stop = out
    # The demo brand has an order system (its sample orders.csv): answers carry its facts.
    assert set(complaint) == {"language", "intent", "sentiment", "entities", "drafts", "facts"}
    assert set(complaint["facts"]) >= {"source", "found", "ms"}
    assert complaint["language"] == "fr"
    assert complaint["intent"]["name"] == "complaint"
    assert isinstance(complaint["intent"]["confidence"], float)
    assert complaint["sentiment"] == "negative"
    assert {"label": "ORDER_NUMBER", "text": "4821"} in complaint["entities"]
    assert complaint["drafts"]
    assert all(not d["promotional"] for d in complaint["drafts"])
    assert set(complaint["drafts"][0]) == {"text", "template", "promotional", "why"}
    assert "Julie" in complaint["drafts"][0]["text"]
    assert "4821" in complaint["drafts"][0]["text"]
    assert "error" in broken
    assert "JSON" in broken["error"]
    assert thanks["language"] == "en"
    assert thanks["intent"]["name"] == "thanks"
    assert any(e["label"] == "PRODUCT" for e in thanks["entities"])
    assert no_text == {"error": '"text" is required and must be a string'}
    assert stop["intent"]["name"] == "opt_out"
    assert stop["drafts"]
    assert not any(d["promotional"] for d in stop["drafts"])


def test_same_customer_is_not_greeted_twice() -> None:
    stdin = "\n".join(
        json.dumps({"text": t, "customer": {"id": "same", "name": "Léa"}})
        for t in (
            "Bonjour, où est ma commande 10023?",
            "Et aussi, vous ouvrez à quelle heure samedi?",
        )
    )
    out = [json.loads(x) for x in run("draft", "--json", stdin=stdin + "\n").stdout.splitlines()]
    assert out[0]["drafts"][0]["text"].startswith("Bonjour Léa")
    assert not out[1]["drafts"][0]["text"].startswith("Bonjour")


def test_readable_draft() -> None:
    result = run("draft", "où est mon colis?? commande 4582", "--name", "Marc")
    assert result.returncode == 0, result.stderr
    assert "order_status" in result.stdout
    assert "Draft 1" in result.stdout
    assert "why:" in result.stdout
    assert "4582" in result.stdout


def test_check_passes_on_shipped_templates() -> None:
    result = run("check")
    assert result.returncode == 0, result.stderr
    assert "All good" in result.stdout


def test_init_then_check_a_broken_template(tmp_path: Path) -> None:
    assert runner.invoke(app, ["init", str(tmp_path)]).exit_code == 0
    for name in ("replique.yml", "catalog.yml", "templates/fr/order_status/with_number.j2"):
        assert (tmp_path / name).exists(), name
    again = runner.invoke(app, ["init", str(tmp_path)])
    assert again.exit_code == 1
    assert "--force" in again.output
    broken = tmp_path / "templates" / "en" / "thanks" / "broken.j2"
    broken.write_text(
        '{% from "en/_macros.j2" import hello with context %}{{ hello() }} {{ nope }}'
    )
    result = run("check", "--config", str(tmp_path / "replique.yml"))
    assert result.returncode == 1
    assert "en/thanks/broken" in result.stderr
    assert "nope" in result.stderr


def test_errors_are_one_readable_line(tmp_path: Path) -> None:
    bad = tmp_path / "replique.yml"
    bad.write_text("brand: [not, a, mapping]\n")
    result = run("draft", "hello", "--config", str(bad))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "brand" in result.stderr
    assert "Traceback" not in result.stderr


def test_train_and_eval_on_a_slice(tmp_path: Path) -> None:
    data = tmp_path / "train.csv"
    rows = ["text,label"]
    for i in range(20):
        rows += [f"where is my parcel number {i}", f'"thanks so much, you are great {i}"']
        rows[-2] += ",order_status"
        rows[-1] += ",thanks"
    data.write_text("\n".join(rows) + "\n")
    model = tmp_path / "model"
    trained = runner.invoke(
        app,
        ["train", "--data", str(data), "--lang", "en", "--out", str(model), "--max-epochs", "5"],
    )
    assert trained.exit_code == 0, trained.output
    assert "epoch" in trained.output
    assert (model / "meta.json").exists()
    evaluated = runner.invoke(app, ["eval", "--model", str(model), "--data", str(data), "--json"])
    assert evaluated.exit_code == 0, evaluated.output
    scores = json.loads(evaluated.output)
    assert set(scores) == {"accuracy", "macro_f1", "n", "messages_per_second"}
    assert scores["n"] == 40
    assert scores["accuracy"] > 0.9


@pytest.mark.parametrize("args", [["eval", "--model", "/nowhere", "--data", "/nowhere.csv"]])
def test_eval_missing_files(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "does not exist" in result.output or "not a model" in result.output
