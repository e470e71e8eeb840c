"""Every error Réplique raises on purpose, and the deferred sentences they carry.

    RepliqueError                 base: its message tells the user what to do next
    ├── ConfigError               replique.yml, catalog.yml or an environment variable is wrong
    ├── ModelError                an analyser model is missing, unreadable or incompatible
    ├── TrainingDataError         a training or evaluation file cannot be used
    ├── TemplateProblem           a reply template is missing, broken or renders badly
    ├── StoreError                the database cannot be reached or migrated
    └── ServiceError              the service cannot start: its port, a platform unreachable

An error is raised with a catalogue key and its values (``ConfigError("config.not_found",
path=…)``), not with a sentence: the words are looked up in ``bot/i18n/`` only when the error is
shown, in the reader's language, the way spaCy raises codes from one ``Errors`` catalogue. The
command line prints ``str(error)`` on one line and exits with status 1; nothing else is shown to
the user, so every message must stand on its own.

``Words`` is the same deferred sentence outside an exception: a template problem listed by
``replique check``, a variant the drafter skipped, a value that is itself a sentence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

__all__ = [
    "ConfigError",
    "Joined",
    "ModelError",
    "RepliqueError",
    "ServiceError",
    "StoreError",
    "TemplateProblem",
    "TrainingDataError",
    "Words",
]


class Words:
    """A sentence of the catalogue, worded when it is shown: ``str(words)``."""

    __slots__ = ("key", "values")

    def __init__(self, key: str, /, **values: object) -> None:
        self.key = key
        self.values: Mapping[str, object] = MappingProxyType(values)

    def __str__(self) -> str:
        # Imported here: the catalogue is only needed once something is shown to a person.
        from bot.i18n import t

        return t(self.key, **self.values)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __repr__(self) -> str:
        values = ", ".join(f"{k}={v!r}" for k, v in self.values.items())
        return f"Words({self.key!r}{', ' if values else ''}{values})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Words):
            return NotImplemented
        return self.key == other.key and dict(self.values) == dict(other.values)

    def __hash__(self) -> int:
        return hash((self.key, tuple(sorted((k, repr(v)) for k, v in self.values.items()))))


class Joined:
    """Pieces (sentences or plain values) joined by ``separator`` when shown."""

    __slots__ = ("pieces", "separator")

    def __init__(self, pieces: Iterable[object], separator: str = "; ") -> None:
        self.pieces = tuple(pieces)
        self.separator = separator

    def __str__(self) -> str:
        return self.separator.join(str(piece) for piece in self.pieces)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


class RepliqueError(Exception):
    """Base of every error Réplique raises on purpose; ``words`` is what it tells the user."""

    def __init__(self, key: str, /, **values: object) -> None:
        super().__init__(key)
        self.words = Words(key, **values)

    @property
    def key(self) -> str:
        return self.words.key

    def __str__(self) -> str:
        return str(self.words)


class ConfigError(RepliqueError):
    """The configuration file, the catalogue or an environment variable is wrong."""


class ModelError(RepliqueError):
    """An analyser model is missing, unreadable or does not fit this version."""


class TrainingDataError(RepliqueError):
    """A training or evaluation file cannot be read or has too little data."""


class TemplateProblem(RepliqueError):
    """A reply template is missing, does not compile, or cannot render."""


class StoreError(RepliqueError):
    """The database cannot be reached, opened or migrated."""


class ServiceError(RepliqueError):
    """``replique run`` cannot start: its address is taken, a platform cannot be reached."""
