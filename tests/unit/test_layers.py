"""The architecture, checked: the core points one way and speaks in values.

- The review core, the drafter, the analyser, the training tools and the store never import a
  channel adapter, the web pages or the wording of the edges (``bot/channels/``, ``bot/web/``,
  ``bot/wording.py``, ``bot/i18n/``): adapters import the core, never the reverse, and sentences
  are made only at the edges (errors carry a catalogue key, worded when shown).
- Importing Réplique changes nothing of the standard library (the French quick import happens
  when a French pipeline is built, not at import).
- No module grows past the size a newcomer can read.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import bot

BOT = Path(bot.__file__).parent
CORE = ("review", "drafting", "nlp", "orders", "store", "training", "learning")
CORE_FILES = ("domain.py", "config.py", "errors.py")
EDGES = ("bot.channels", "bot.web", "bot.wording", "bot.i18n", "bot.cli", "bot.service")


def imports_of(path: Path) -> set[str]:
    """Every module ``path`` imports, at any level of the file (lazy imports included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def core_modules() -> list[Path]:
    files = [path for package in CORE for path in (BOT / package).rglob("*.py")]
    return sorted(files + [BOT / name for name in CORE_FILES])


@pytest.mark.parametrize("path", core_modules(), ids=lambda p: str(p.relative_to(BOT)))
def test_the_core_never_imports_an_edge(path: Path) -> None:
    # errors.py looks the words up when an error is shown, and only there.
    allowed = {"bot.i18n", "bot.i18n.t"} if path.name == "errors.py" else set()
    edges = {
        name
        for name in imports_of(path)
        if name not in allowed and any(name == e or name.startswith(e + ".") for e in EDGES)
    }
    assert edges == set(), f"{path.relative_to(BOT)} imports {sorted(edges)}"


def test_the_runtime_analyser_never_imports_the_training_tools() -> None:
    for path in (BOT / "nlp").rglob("*.py"):
        assert not any(n.startswith("bot.training") for n in imports_of(path)), path


def test_importing_every_module_patches_nothing_of_the_standard_library() -> None:
    compile_before = re.compile
    for module in pkgutil.walk_packages(bot.__path__, "bot."):
        if ".migrations" not in module.name:
            importlib.import_module(module.name)
    assert re.compile is compile_before


@pytest.mark.parametrize("path", sorted(BOT.rglob("*.py")), ids=lambda p: str(p.relative_to(BOT)))
def test_no_module_is_too_long_to_read(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    limit = 500
    assert lines <= limit, f"{path.relative_to(BOT)} has {lines} lines: split it along a seam"
