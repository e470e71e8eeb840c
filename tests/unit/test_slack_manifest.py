"""The committed Slack app manifest asks for what the adapter uses, and for nothing else."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.channels.slack import EVENTS_PATH

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = yaml.safe_load((ROOT / "deploy" / "slack-app-manifest.yml").read_text(encoding="utf-8"))

#: Web API methods the adapter calls, and the bot scope each needs.
SCOPES_BY_METHOD = {
    "chat.postMessage": "chat:write",
    "chat.update": "chat:write",
    "chat.postEphemeral": "chat:write",
    "users.info": "users:read",
}
#: Events the adapter listens to, and the scope each needs.
SCOPES_BY_EVENT = {
    "message.channels": "channels:history",
    "message.groups": "groups:history",
    "message.im": "im:history",
    "reaction_added": "reactions:read",
}


def test_events_and_scopes_match_what_the_adapter_uses():
    settings = MANIFEST["settings"]
    assert set(settings["event_subscriptions"]["bot_events"]) == set(SCOPES_BY_EVENT)
    needed = set(SCOPES_BY_METHOD.values()) | set(SCOPES_BY_EVENT.values())
    assert set(MANIFEST["oauth_config"]["scopes"]["bot"]) == needed


def test_events_and_interactivity_share_the_adapters_route():
    settings = MANIFEST["settings"]
    assert settings["interactivity"]["is_enabled"] is True
    for url in (
        settings["event_subscriptions"]["request_url"],
        settings["interactivity"]["request_url"],
    ):
        assert url.startswith("https://")
        assert url.endswith(EVENTS_PATH)
    assert settings["socket_mode_enabled"] is False  # HTTP mode by default, as documented
    assert MANIFEST["features"]["app_home"]["messages_tab_enabled"] is True  # DMs are customers


def test_the_docs_name_every_scope_in_both_languages():
    for doc in ("docs/slack.md", "docs/fr/slack.md"):
        text = (ROOT / doc).read_text(encoding="utf-8")
        for scope in MANIFEST["oauth_config"]["scopes"]["bot"]:
            assert f"`{scope}`" in text, (doc, scope)
        assert "deploy/slack-app-manifest.yml" in text
