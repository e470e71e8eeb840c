"""Reading training files and scoring predictions."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import TrainingDataError
from bot.training.datasets import LabelledText, load_examples
from bot.training.evaluation import score


def test_csv_with_text_label_header(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text('text,label\n"où est ma commande, svp",order_status\nmerci!,thanks\n')
    assert load_examples(path) == [
        LabelledText("où est ma commande, svp", "order_status"),
        LabelledText("merci!", "thanks"),
    ]


def test_csv_accepts_banking77_category_column(tmp_path: Path) -> None:
    path = tmp_path / "b77.csv"
    path.write_text("text,category\nmy card is lost,lost_or_stolen_card\n")
    assert load_examples(path)[0].label == "lost_or_stolen_card"


def test_yaml_intents(tmp_path: Path) -> None:
    path = tmp_path / "data.yml"
    path.write_text('language: fr\nintents:\n  greeting: ["Salut!", "allo"]\n  thanks: ["merci"]\n')
    assert [e.label for e in load_examples(path)] == ["greeting", "greeting", "thanks"]


@pytest.mark.parametrize(
    ("content", "suffix", "message"),
    [
        ("a,b\nx,y\n", ".csv", "header"),
        ("intents: [1, 2]\n", ".yml", "mapping"),
        ('intents:\n  greeting: [""]\n', ".yml", "empty"),
        ("intents: {greeting: [\n", ".yml", "not valid YAML"),
        ("anything", ".txt", "unknown format"),
    ],
)
def test_bad_files_explain_themselves(
    tmp_path: Path, content: str, suffix: str, message: str
) -> None:
    path = tmp_path / f"data{suffix}"
    path.write_text(content)
    with pytest.raises(TrainingDataError, match=message):
        load_examples(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TrainingDataError, match="does not exist"):
        load_examples(tmp_path / "nope.csv")


def test_scores() -> None:
    result = score(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    assert result.accuracy == pytest.approx(0.75)
    # a: p=1, r=.5, f1=.667 ; b: p=.667, r=1, f1=.8
    assert result.macro_f1 == pytest.approx((2 / 3 + 0.8) / 2)
    assert result.confusions == (("a", "b", 1),)
