"""The baseline a user would build in an afternoon: TF-IDF (word + character n-grams) + LinearSVC.

Word 1-2 grams and character 2-5 grams (inside word boundaries), sub-linear TF, LinearSVC(C=1).

Réplique's trainer has to beat this, side by side on the same machine in the same run
(``make bench`` calls :func:`run_baseline` next to our own trainer). Run it alone with::

    .venv/bin/python benchmarks/baseline.py --train ../shared/data/banking77/train.csv \\
        --test ../shared/data/banking77/test.csv

scikit-learn is a development dependency: the product never imports this module.
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score, f1_score
from sklearn.pipeline import make_pipeline, make_union
from sklearn.svm import LinearSVC

__all__ = ["BaselineResult", "build_baseline", "read_csv", "run_baseline"]


@dataclass(frozen=True, slots=True)
class BaselineResult:
    accuracy: float
    macro_f1: float
    n: int
    messages_per_second: float
    train_seconds: float


def build_baseline() -> object:
    """TF-IDF over word 1-2 grams and character 2-5 grams (within word boundaries), LinearSVC."""
    features = make_union(
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
    )
    return make_pipeline(features, LinearSVC(C=1.0))


def read_csv(path: Path) -> tuple[list[str], list[str]]:
    """Texts and labels of a ``text,label`` (or ``text,category``) CSV."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    column = "label" if rows and "label" in rows[0] else "category"
    return [r["text"] for r in rows], [r[column] for r in rows]


def run_baseline(
    train: tuple[Sequence[str], Sequence[str]],
    test: tuple[Sequence[str], Sequence[str]],
    *,
    repeats: int = 3,
) -> BaselineResult:
    """Fit on ``train``, score on ``test``; the speed is the best of ``repeats`` batched passes."""
    model = build_baseline()
    started = time.perf_counter()
    model.fit(list(train[0]), list(train[1]))  # type: ignore[attr-defined]
    train_seconds = time.perf_counter() - started
    texts = list(test[0])
    best = float("inf")
    predicted: list[str] = []
    for _ in range(repeats):
        started = time.perf_counter()
        predicted = list(model.predict(texts))  # type: ignore[attr-defined]
        best = min(best, time.perf_counter() - started)
    return BaselineResult(
        accuracy=float(accuracy_score(test[1], predicted)),
        macro_f1=float(f1_score(test[1], predicted, average="macro")),
        n=len(texts),
        messages_per_second=len(texts) / best,
        train_seconds=train_seconds,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--train", type=Path, required=True)
    parser.add_argument("--test", type=Path, required=True)
    args = parser.parse_args()
    result = run_baseline(read_csv(args.train), read_csv(args.test))
    print(json.dumps({k: round(v, 4) for k, v in asdict(result).items()}))


if __name__ == "__main__":
    main()
