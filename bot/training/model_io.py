"""Loading a classifier directory written by ``replique train`` (or a shipped default model)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language

from bot.errors import ModelError
from bot.nlp import components, french  # noqa: F401  (components registers the factories)

__all__ = ["LoadedClassifier", "load_classifier"]


@dataclass(frozen=True, slots=True)
class LoadedClassifier:
    nlp: Language
    component: str
    threshold: float


def load_classifier(path: Path) -> LoadedClassifier:
    meta_path = path / "meta.json"
    if not meta_path.exists():
        raise ModelError("model.no_meta", path=path)
    meta = json.loads(meta_path.read_text(encoding="utf-8")).get("replique")
    if not isinstance(meta, dict) or "component" not in meta:
        raise ModelError("model.not_replique", path=path)
    french.prepare(str(_lang_of(path)))
    try:
        nlp = spacy.load(path)
    except (OSError, ValueError) as exc:
        raise ModelError("model.cannot_load", path=path, error=exc) from exc
    return LoadedClassifier(nlp, str(meta["component"]), float(meta.get("threshold", 0.0)))


def _lang_of(path: Path) -> str:
    """The language a saved pipeline is for (its ``meta.json``), "" when it does not say."""
    meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    return str(meta.get("lang", ""))
