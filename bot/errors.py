"""Every error Réplique raises on purpose.

    RepliqueError                 base: its message tells the user what to do next
    ├── ConfigError               replique.yml, catalog.yml or an environment variable is wrong
    ├── ModelError                an analyser model is missing, unreadable or incompatible
    ├── TrainingDataError         a training or evaluation file cannot be used
    ├── TemplateProblem           a reply template is missing, broken or renders badly
    └── StoreError                the database cannot be reached or migrated

The command line prints ``str(error)`` on one line and exits with status 1; nothing else is shown
to the user, so every message must stand on its own. Messages come from the catalogue of
bot/i18n/ (``t("key", ...)``), in English and in French.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "ModelError",
    "RepliqueError",
    "StoreError",
    "TemplateProblem",
    "TrainingDataError",
]


class RepliqueError(Exception):
    """Base of every error Réplique raises on purpose."""


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
