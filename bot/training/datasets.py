"""Reading labelled examples: a CSV with a `text,label` header, and the project's YAML format.

The YAML format (documented in docs/training.md) maps each label to a list of example messages,
under ``intents:`` for intent data or ``sentiment:`` for sentiment data::

    language: fr
    intents:
      order_status:
        - "où est ma commande #4821?"
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.errors import TrainingDataError, Words

__all__ = ["TRAINING_DATA", "LabelledText", "data_fingerprint", "language_of", "load_examples"]

#: The default training and evaluation data shipped with Réplique, one folder per language.
TRAINING_DATA = Path(__file__).parent / "data"

# Column names accepted for the label in a CSV, in order of preference.
_LABEL_COLUMNS = ("label", "intent", "category")


@dataclass(frozen=True, slots=True)
class LabelledText:
    text: str
    label: str


def language_of(path: Path) -> str | None:
    """The ``language:`` a YAML training file declares (None for a CSV, or when it says none)."""
    if path.suffix.lower() not in {".yml", ".yaml"} or not path.exists():
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        return None  # load_examples says what is wrong with the file
    language = data.get("language") if isinstance(data, dict) else None
    return str(language) if language else None


def load_examples(path: Path, *, section: str = "intents") -> list[LabelledText]:
    """Examples from a CSV (``text,label`` header) or a YAML file (``section`` mapping)."""
    if not path.exists():
        raise TrainingDataError("datasets.missing", path=path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        examples = _from_csv(path)
    elif suffix in {".yml", ".yaml"}:
        examples = _from_yaml(path, section)
    else:
        raise TrainingDataError(
            "datasets.unknown_format", path=path, suffix=suffix or Words("datasets.no_suffix")
        )
    if not examples:
        raise TrainingDataError("datasets.empty", path=path)
    return examples


def _from_csv(path: Path) -> list[LabelledText]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = reader.fieldnames or []
        label_column = next((c for c in _LABEL_COLUMNS if c in fields), None)
        if "text" not in fields or label_column is None:
            found = ", ".join(fields) or Words("datasets.csv_nothing")
            raise TrainingDataError("datasets.csv_header", path=path, found=found)
        examples = []
        for line_no, row in enumerate(reader, start=2):
            text, label = (row.get("text") or "").strip(), (row.get(label_column) or "").strip()
            if not text or not label:
                raise TrainingDataError("datasets.csv_empty_row", path=path, line=line_no)
            examples.append(LabelledText(text, label))
    return examples


def _from_yaml(path: Path, section: str) -> list[LabelledText]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise TrainingDataError("datasets.bad_yaml", path=path, error=exc) from None
    mapping = data.get(section) if isinstance(data, dict) else None
    if not isinstance(mapping, dict):
        raise TrainingDataError("datasets.no_section", path=path, section=section)
    examples = []
    for label, texts in mapping.items():
        if not isinstance(texts, list):
            raise TrainingDataError("datasets.not_a_list", path=path, label=label)
        for text in texts:
            if not isinstance(text, str) or not text.strip():
                raise TrainingDataError("datasets.bad_example", path=path, label=label)
            examples.append(LabelledText(text.strip(), str(label)))
    return examples


def labels_of(examples: Iterable[LabelledText]) -> list[str]:
    return sorted({e.label for e in examples})


def data_fingerprint(paths: Sequence[Path], *extra: str) -> str:
    """A short hash of files and settings, so a model can tell whether it is stale."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    for item in extra:
        digest.update(item.encode())
    return digest.hexdigest()[:16]
