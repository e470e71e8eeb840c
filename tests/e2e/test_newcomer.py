"""What a newcomer meets when following the docs literally: every start-up failure is one
readable line and a non-zero exit, ``check`` refuses what would crash later, an optional file may
be missing, the trainer says when it cannot validate, and a service without a review desk says
so."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakes.telegram_api import FakeTelegram

REPLIQUE = str(Path(sys.executable).parent / "replique")
ROOT = Path(__file__).resolve().parents[2]


def replique(
    *args: str, folder: Path, timeout: float = 60, **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "REPLIQUE_LANG": "en", **env}
    environment.setdefault("DATABASE_URL", f"sqlite:///{folder / 'replique.db'}")
    environment.setdefault("REPLIQUE_PORT", "0")
    return subprocess.run(
        [REPLIQUE, *args],
        capture_output=True, text=True, cwd=folder, env=environment, timeout=timeout,
    )  # fmt: skip


def assert_one_line(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    """Failed, and said why on one line of its own (no traceback)."""
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert lines[0].startswith("replique: ")
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def test_a_port_in_use_is_one_line_naming_the_port(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = replique("run", folder=tmp_path, REPLIQUE_PORT=port)
    assert_one_line(result, f"127.0.0.1:{port}", "already in use", "REPLIQUE_PORT")


@pytest.mark.parametrize(("value", "needle"), [("abc", "integer"), ("99999", "65535")])
def test_a_bad_port_is_one_line_naming_the_variable(
    tmp_path: Path, value: str, needle: str
) -> None:
    result = replique("run", folder=tmp_path, REPLIQUE_PORT=value)
    assert_one_line(result, "REPLIQUE_PORT", needle)


def test_a_folder_given_as_the_configuration_is_one_line(tmp_path: Path) -> None:
    result = replique("run", "-c", str(tmp_path), folder=tmp_path)
    assert_one_line(result, "is a folder")


async def test_an_unreachable_telegram_is_one_line(tmp_path: Path) -> None:
    # A Bot API address where nothing listens: bound, then closed, so the port is free.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = replique(
        "run",
        folder=tmp_path,
        TELEGRAM_BOT_TOKEN="123:abc",
        TELEGRAM_API_URL=f"http://127.0.0.1:{port}/bot",
    )
    line = assert_one_line(result, "cannot reach the Telegram Bot API", "TELEGRAM_API_URL")
    assert "123:abc" not in line  # the token is never shown


async def test_a_service_without_a_review_desk_says_so_at_start(tmp_path: Path) -> None:
    async with FakeTelegram() as fake:
        # Read without blocking the loop: the fake Bot API answers from this same loop.
        running = await asyncio.create_subprocess_exec(
            REPLIQUE, "run",
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL, cwd=tmp_path,
            env={
                **os.environ, "REPLIQUE_LANG": "en", "REPLIQUE_PORT": "0",
                "DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}",
                "TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_API_URL": fake.base_url,
            },
        )  # fmt: skip
        try:
            assert running.stdout is not None
            said = [
                (await asyncio.wait_for(running.stdout.readline(), 60)).decode() for _ in range(2)
            ]
        finally:
            running.send_signal(signal.SIGTERM)
            await asyncio.wait_for(running.wait(), 30)
    assert "listening" in said[0]
    assert "No review desk is configured" in said[1]
    assert "review.telegram_chat_id" in said[1]


def test_check_refuses_a_time_zone_and_a_default_language_that_would_crash_later(
    tmp_path: Path,
) -> None:
    (tmp_path / "replique.yml").write_text("brand:\n  timezone: Mars/Base\n")
    zone = replique("check", folder=tmp_path)
    assert_one_line(zone, "Mars/Base", "time zone")
    drafted = replique("draft", "bonjour", folder=tmp_path)
    assert_one_line(drafted, "Mars/Base")

    (tmp_path / "replique.yml").write_text("brand:\n  default_language: de\n")
    assert_one_line(replique("check", folder=tmp_path), "default_language", "'de'")
    (tmp_path / "replique.yml").write_text("brand:\n  languages: [fr, de]\n")
    assert_one_line(replique("check", folder=tmp_path), "brand.languages")


def test_a_configuration_without_catalog_is_an_empty_catalogue(tmp_path: Path) -> None:
    (tmp_path / "replique.yml").write_text("brand:\n  name: Boutique Lune\n")
    checked = replique("check", folder=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert "All good" in checked.stdout
    assert "no product catalogue" in checked.stdout  # a note, not a failure
    drafted = subprocess.run(
        [REPLIQUE, "draft", "--json"],
        input=json.dumps({"text": "Bonjour, où est ma commande 5512 ?"}) + "\n",
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
        env={**os.environ, "REPLIQUE_LANG": "en"},
    )  # fmt: skip
    assert drafted.returncode == 0, drafted.stderr
    assert drafted.stderr == ""  # not even a library warning about the empty catalogue
    assert json.loads(drafted.stdout)["drafts"]


def test_training_on_a_small_file_says_it_cannot_validate_and_keeps_the_floor(
    tmp_path: Path,
) -> None:
    data = tmp_path / "small.yml"
    data.write_text(
        "language: fr\nintents:\n  greeting: [bonjour, salut, allô]\n"
        "  thanks: [merci, merci beaucoup, super merci]\n"
    )
    trained = replique(
        "train", "--data", str(data), "--out", str(tmp_path / "model"), "--max-epochs", "6",
        folder=tmp_path, timeout=120,
    )  # fmt: skip
    assert trained.returncode == 0, trained.stderr
    assert "Too few examples to hold any out" in trained.stdout
    assert "validation accuracy 0.000" not in trained.stdout
    assert "(no validation split)" in trained.stdout
    meta = json.loads((tmp_path / "model" / "meta.json").read_text())
    assert meta["replique"]["threshold"] == pytest.approx(0.2)
    assert meta["lang"] == "fr"  # the YAML's language:, not the default English

    clash = replique(
        "train", "--data", str(data), "--out", str(tmp_path / "m2"), "--lang", "en",
        folder=tmp_path,
    )  # fmt: skip
    assert_one_line(clash, "--lang en", "language: fr")


@pytest.mark.parametrize("page", ["docs/configuration.md", "docs/fr/configuration.md"])
def test_the_configuration_pages_give_the_locale_variables_in_the_order_they_count(
    page: str,
) -> None:
    text = (ROOT / page).read_text(encoding="utf-8")
    order = [m.group(0) for m in re.finditer(r"`(LC_ALL|LC_MESSAGES|LANG)`", text)]
    assert order[:3] == ["`LC_ALL`", "`LC_MESSAGES`", "`LANG`"], order


def test_an_english_only_brand_defaults_to_english(tmp_path: Path) -> None:
    (tmp_path / "replique.yml").write_text("brand:\n  languages: [en]\n")
    checked = replique("check", folder=tmp_path)
    assert checked.returncode == 0, checked.stderr
