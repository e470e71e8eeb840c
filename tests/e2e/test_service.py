"""The service as a whole: one HTTP server with /healthz and /metrics, started and stopped."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from bot.config import AppConfig, Settings
from bot.service import build_service, is_loopback, playground_enabled, running_service
from bot.store import Store
from tests.waiting import wait_until


def quiet_settings(database_url: str, **extra: object) -> Settings:
    """Settings for a service with no platform and no playground, on port 0."""
    values: dict[str, object] = {
        "database_url": database_url,
        "replique_port": 0,
        "replique_playground": False,
    }
    values.update(extra)
    return Settings(**values)  # type: ignore[arg-type]


async def test_healthz_and_metrics_answer_on_a_real_port(
    sqlite_url: str, app_config: AppConfig
) -> None:
    async with running_service(settings=quiet_settings(sqlite_url), config=app_config) as service:
        assert service.url.startswith("http://127.0.0.1:")
        assert not service.url.endswith(":0")
        async with httpx.AsyncClient(base_url=service.url) as client:
            health = await client.get("/healthz")
            assert health.status_code == 200
            body = health.json()
            assert body["status"] == "ok"
            assert body["outbox"] == {"waiting": 0, "failed": 0, "delivered": 0}
            assert body["work"] == {"inbound": 0, "action": 0}
            # The only process takes the leader's role at its first try.
            await wait_until(lambda: service.leader.leading, what="the leader's role")
            assert (await client.get("/healthz")).json()["leader"] is True
            assert body["worker"]
            scraped = await client.get("/metrics")
            assert scraped.status_code == 200
            assert "replique_outbox_waiting 0.0" in scraped.text
            assert 'replique_work_waiting{lane="inbound"} 0.0' in scraped.text
            assert "replique_card_latency_seconds_bucket" in scraped.text
            missing = await client.get("/slack/events")
            assert missing.status_code == 404  # no Slack configured: no Slack route


async def test_healthz_says_503_when_the_store_is_gone(
    sqlite_url: str, app_config: AppConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(sqlite_url)
    service = build_service(settings=quiet_settings(sqlite_url), config=app_config, store=store)
    await service.start()
    try:
        monkeypatch.setattr(store, "outbox_counts", _broken)
        async with httpx.AsyncClient(base_url=service.url) as client:
            health = await client.get("/healthz")
        assert health.status_code == 503
        assert health.json()["store"] == "unreachable"
    finally:
        await service.stop()


def _broken(*_: object, **__: object) -> object:
    raise ConnectionError("database is gone")


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, True),
        ({"telegram_bot_token": "123:abc"}, False),
        ({"slack_bot_token": "xoxb-1"}, False),
        ({"slack_bot_token": "xoxb-1", "replique_playground": True}, True),
        ({"replique_playground": False}, False),
    ],
)
def test_the_playground_runs_when_no_platform_is_configured(
    env: dict[str, object], expected: bool
) -> None:
    assert playground_enabled(Settings(**env)) is expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("192.168.1.20", False),
        ("replique.example", False),
    ],
)
def test_only_loopback_counts_as_this_machine(host: str, expected: bool) -> None:
    assert is_loopback(host) is expected


def test_the_playground_reviews_only_on_this_machine(
    sqlite_url: str, app_config: AppConfig
) -> None:
    local = build_service(
        settings=quiet_settings(sqlite_url, replique_playground=True), config=app_config
    )
    shared = build_service(
        settings=quiet_settings(sqlite_url, replique_playground=True, replique_host="0.0.0.0"),
        config=app_config,
    )
    try:
        assert local.desk.is_reviewer("web", "anyone")
        assert not shared.desk.is_reviewer("web", "anyone")
    finally:
        for service in (local, shared):
            service.desk.close()
            service.store.close()


def test_replique_run_serves_the_playground_and_stops_on_sigterm(tmp_path: Path) -> None:
    """What ``make run`` does on a fresh clone: print the address, serve, stop cleanly."""
    env = {
        **os.environ,
        "REPLIQUE_PORT": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'replique.db'}",
        "REPLIQUE_LANG": "en",
    }
    for token in ("TELEGRAM_BOT_TOKEN", "SLACK_BOT_TOKEN", "REPLIQUE_PLAYGROUND"):
        env.pop(token, None)
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "replique"), "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+", first)
        assert found, first
        page = httpx.get(found.group(0) + "/", timeout=10)
        assert page.status_code == 200
        assert "Réplique" in page.text
        health = httpx.get(found.group(0) + "/healthz", timeout=10).json()
        assert health["adapters"] == ["web"]
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "Stopping" in out
    assert "Traceback" not in err
