"""The environment as an operator writes it: an env file with unused variables left empty."""

from __future__ import annotations

import pytest

from bot.config import load_settings


def test_an_empty_variable_is_unset_not_an_empty_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "")
    monkeypatch.setenv("DATABASE_URL", "")
    settings = load_settings()
    # An empty token would otherwise switch its platform on with a token nobody gave.
    assert settings.telegram_bot_token is None
    assert settings.slack_bot_token is None
    assert settings.effective_database_url.startswith("sqlite:///")


def test_a_given_variable_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    settings = load_settings()
    assert settings.slack_bot_token is not None
    assert settings.slack_bot_token.get_secret_value() == "xoxb-1"
