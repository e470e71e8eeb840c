"""The wheel as a brand installs it: built, installed into a clean virtual environment, and run
from a folder that is not the repository — its templates, models and migrations come with it.

Offline by design: the wheel is built without build isolation, installed with ``--no-deps``, and
the new environment sees the dependencies through a ``.pth`` line naming this environment's
site-packages. A path added that way does not run that folder's own ``.pth`` files, so the
development (editable) install of Réplique stays out: ``bot`` can only come from the wheel, and a
test checks that it does.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import httpx
import pytest

from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Built from a copy of what the wheel is made of: setuptools writes build/ beside the sources.
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for folder in ("bot", "templates"):
        shutil.copytree(
            ROOT / folder, source / folder, symlinks=True,
            ignore=shutil.ignore_patterns("__pycache__"),
        )  # fmt: skip
    out = tmp_path_factory.mktemp("dist")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "--no-build-isolation",
         "--quiet", "--wheel-dir", str(out)],
        capture_output=True, text=True, timeout=300, cwd=out,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    [found] = out.glob("replique-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``bin`` folder of a new virtual environment with only the wheel installed."""
    home = tmp_path_factory.mktemp("clean-venv")
    venv.EnvBuilder(with_pip=False).create(home)
    python = home / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
    )  # fmt: skip
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--no-index", "--quiet", str(wheel)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return home / "bin"


def env(folder: Path) -> dict[str, str]:
    """The environment of a person trying the installed command in an empty folder."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("REPLIQUE_", "PYTHON"))}
    return {**clean, "REPLIQUE_LANG": "en", "DATABASE_URL": f"sqlite:///{folder / 'r.db'}"}


def test_the_wheel_carries_the_templates_models_and_migrations(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "bot/templates/fr/order_status/with_number.j2" in names
    assert "bot/templates/en/_macros.j2" in names
    assert "bot/nlp/models/fr/intent/meta.json" in names
    assert "bot/nlp/configs/analyser_en.cfg" in names
    assert "bot/store/migrations/versions/0001_initial.py" in names
    assert "bot/web/static/playground.js" in names
    assert "bot/resources/replique.yml" in names
    assert not any(name.startswith("tests/") for name in names)


def test_the_installed_command_drafts_and_checks_from_anywhere(
    installed: Path, tmp_path: Path
) -> None:
    where = subprocess.run(
        [str(installed / "python"), "-c", "import bot; print(bot.__file__)"],
        capture_output=True, text=True, cwd=tmp_path, env=env(tmp_path), check=True,
    ).stdout  # fmt: skip
    assert str(installed.parent) in where, "bot must come from the wheel, not the repository"

    drafted = subprocess.run(
        [str(installed / "replique"), "draft", "--json"],
        input=json.dumps({"text": "Bonjour, où est ma commande 48213 ?"}) + "\n",
        capture_output=True, text=True, cwd=tmp_path, env=env(tmp_path), timeout=120,
    )  # fmt: skip
    assert drafted.returncode == 0, drafted.stderr
    answer = json.loads(drafted.stdout)
    assert answer["intent"]["name"] == "order_status"
    assert answer["drafts"], "the shipped templates must be found"
    assert "48213" in answer["drafts"][0]["text"]

    checked = subprocess.run(
        [str(installed / "replique"), "check"],
        capture_output=True, text=True, cwd=tmp_path, env=env(tmp_path), timeout=120,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr
    assert "All good" in checked.stdout


def test_the_installed_command_migrates_as_the_image_does(installed: Path, tmp_path: Path) -> None:
    # The image's migration step: the wheel's own migrations, from a folder with nothing else.
    migrated = subprocess.run(
        [str(installed / "replique"), "migrate", "--json"],
        capture_output=True, text=True, cwd=tmp_path, env=env(tmp_path), timeout=120,
    )  # fmt: skip
    assert migrated.returncode == 0, migrated.stderr
    answer = json.loads(migrated.stdout)
    assert answer["previous"] is None
    assert answer["upgraded"] is True
    assert answer["revision"]
    assert (tmp_path / "r.db").is_file()


async def test_the_installed_command_runs_the_service(installed: Path, tmp_path: Path) -> None:
    running = subprocess.Popen(
        [str(installed / "replique"), "run"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path,
        env={**env(tmp_path), "REPLIQUE_PORT": "0"},
    )  # fmt: skip
    try:
        assert running.stdout is not None
        first = running.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)", first)
        assert found, first
        url = found.group(0)
        async with httpx.AsyncClient(base_url=url) as client:

            async def healthy() -> bool:
                return (await client.get("/healthz")).status_code == 200

            await wait_until(healthy, timeout=30, what="the installed service to answer")
            page = await client.get("/")
        assert page.status_code == 200
        assert "Réplique" in page.text
    finally:
        running.send_signal(signal.SIGTERM)
        running.wait(timeout=30)
    assert running.returncode == 0
