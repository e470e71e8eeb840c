"""The message catalogue: complete in both languages, and the reader's language chosen right."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path
from string import Formatter

import pytest
from typer.testing import CliRunner

import bot
from bot.cli import app
from bot.config import AppConfig
from bot.domain import Analysis, CustomerProfile, IntentScore
from bot.drafting.drafter import Drafter
from bot.i18n import LANGUAGES, MESSAGES, language, t
from bot.wording import why_line

REPLIQUE = str(Path(sys.executable).parent / "replique")
BOT_DIR = Path(bot.__file__).parent
LANGUAGE_VARIABLES = ("REPLIQUE_LANG", "LC_ALL", "LC_MESSAGES", "LANG")


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in Formatter().parse(template) if field is not None}


class _Anything:
    """A value every placeholder accepts, whatever its format spec or conversion."""

    def __format__(self, spec: str) -> str:
        return "X"

    def __repr__(self) -> str:
        return "X"


def keys_used_in_bot() -> tuple[set[str], set[str]]:
    """Keys passed literally to ``t()`` in bot/, and every string literal of bot/."""
    called: set[str] = set()
    literals: set[str] = set()
    for path in BOT_DIR.rglob("*.py"):
        if "i18n" in path.parts and path.parent.name == "i18n" and path.parent.parent == BOT_DIR:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.add(node.value)
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "t"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                called.add(node.args[0].value)
    return called, literals


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No language variable at all (conftest sets REPLIQUE_LANG=en for the session)."""
    for name in LANGUAGE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


# --- the catalogue --------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_key_has_english_and_french(key: str) -> None:
    templates = MESSAGES[key]
    assert set(templates) == set(LANGUAGES) == {"en", "fr"}
    for lang in LANGUAGES:
        assert templates[lang].strip(), f"{key}: empty {lang} text"


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_both_languages_have_the_same_placeholders(key: str) -> None:
    assert placeholders(MESSAGES[key]["fr"]) == placeholders(MESSAGES[key]["en"])


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_template_formats(key: str, clean_env: pytest.MonkeyPatch) -> None:
    values = {name: _Anything() for name in placeholders(MESSAGES[key]["en"])}
    for lang in LANGUAGES:
        clean_env.setenv("REPLIQUE_LANG", lang)
        assert t(key, **values)


def test_every_key_the_code_uses_exists() -> None:
    called, _ = keys_used_in_bot()
    assert called, "no t() call found: the scan is broken"
    assert sorted(called - set(MESSAGES)) == []


def test_every_key_is_used_by_the_code() -> None:
    _, literals = keys_used_in_bot()
    assert sorted(set(MESSAGES) - literals) == []


def test_unknown_key_is_a_programming_error() -> None:
    with pytest.raises(KeyError, match=r"no\.such\.key"):
        t("no.such.key")


def test_values_fill_the_placeholders(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("REPLIQUE_LANG", "fr")
    assert t("cli.bad_lang", lang="de") == "--lang doit être en ou fr, pas 'de'"
    clean_env.setenv("REPLIQUE_LANG", "en")
    assert t("cli.bad_lang", lang="de") == "--lang must be en or fr, not 'de'"
    assert t("jsonl.not_object") == 'expected a JSON object such as {"text": "..."}'


# --- choosing the language ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "en"),
        ({"REPLIQUE_LANG": "fr"}, "fr"),
        ({"REPLIQUE_LANG": "en"}, "en"),
        ({"REPLIQUE_LANG": "FR"}, "fr"),
        ({"REPLIQUE_LANG": "fr_CA"}, "fr"),
        ({"REPLIQUE_LANG": "en", "LANG": "fr_CA.UTF-8", "LC_ALL": "fr_FR.UTF-8"}, "en"),
        ({"REPLIQUE_LANG": "fr", "LANG": "en_US.UTF-8"}, "fr"),
        ({"REPLIQUE_LANG": "de", "LANG": "fr_CA.UTF-8"}, "fr"),
        ({"REPLIQUE_LANG": "", "LANG": "fr_CA.UTF-8"}, "fr"),
        ({"LANG": "fr_CA.UTF-8"}, "fr"),
        ({"LANG": "fr_FR"}, "fr"),
        ({"LANG": "en_CA.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LC_MESSAGES": "fr_CA.UTF-8", "LANG": "en_CA.UTF-8"}, "fr"),
        ({"LC_MESSAGES": "en_CA.UTF-8", "LANG": "fr_CA.UTF-8"}, "en"),
        ({"LC_ALL": "en_US.UTF-8", "LC_MESSAGES": "fr_CA", "LANG": "fr_CA.UTF-8"}, "en"),
        ({"LC_ALL": "fr_FR.UTF-8", "LANG": "en_US.UTF-8"}, "fr"),
        ({"LC_ALL": "C", "LANG": "fr_CA.UTF-8"}, "en"),
        ({"LC_ALL": "", "LANG": "fr_CA.UTF-8"}, "fr"),
    ],
)
def test_language_choice(clean_env: pytest.MonkeyPatch, env: dict[str, str], expected: str) -> None:
    for name, value in env.items():
        clean_env.setenv(name, value)
    assert language() == expected


def test_the_environment_is_read_at_every_call(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("LANG", "fr_CA.UTF-8")
    assert t("console.new_conversation") == "Nouvelle conversation."
    clean_env.setenv("LANG", "en_CA.UTF-8")
    assert t("console.new_conversation") == "New conversation."


# --- French, end to end ---------------------------------------------------------------------


def test_a_command_line_error_in_french() -> None:
    result = subprocess.run(
        [REPLIQUE, "draft", "x", "--config", "/nonexistent.yml"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "REPLIQUE_LANG": "fr"},
    )
    assert result.returncode == 1
    assert result.stderr == (
        "replique: Le fichier de configuration est introuvable (/nonexistent.yml) : "
        "créez-le ou corrigez le chemin\n"
    )


def test_check_succeeds_in_french() -> None:
    result = subprocess.run(
        [REPLIQUE, "check"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "REPLIQUE_LANG": "fr"},
    )
    assert result.returncode == 0, result.stderr
    # The demo brand's order system is named first, then the verdict.
    assert result.stdout.startswith("Commandes : csv répond (")
    assert "\nTout est en ordre : configuration, catalogue" in result.stdout
    assert "Café Boréal" in result.stdout


def test_init_refuses_to_overwrite_in_french(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPLIQUE_LANG", "fr")
    runner = CliRunner()
    assert runner.invoke(app, ["init", str(tmp_path)]).exit_code == 0
    again = runner.invoke(app, ["init", str(tmp_path)])
    assert again.exit_code == 1
    assert "existe(nt) déjà : ajoutez --force pour écraser" in again.output


def test_the_reviewers_why_follows_the_reviewers_language(
    app_config: AppConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPLIQUE_LANG", "fr")
    analysis = Analysis(
        language="en",
        language_confidence=0.99,
        intent=IntentScore("complaint", 0.93),
        alternatives=(),
        sentiment="negative",
        sentiment_confidence=0.9,
    )
    result = Drafter(app_config).draft(analysis, CustomerProfile("c1", name="Sam"))
    assert result.drafts
    assert result.drafts[0].language == "en", "the customer still gets English"
    why = why_line(result.drafts[0].why)
    assert why.startswith("complaint 93% · negative")
    assert "utilise prénom" in why
    assert "pas d'offre : client mécontent" in why
