"""Fast start for spaCy's French language data.

``spacy.lang.fr`` compiles, at import, one regular expression of about a hundred alternatives, each
spelling out spaCy's full Unicode letter class; Python's ``re`` spends over three seconds on it,
which alone would break the promise that the first ``replique draft`` answers within seconds.
The expression only keeps rare hyphenated words ("porte-monnaie", "saut-de-ski") in one token, so
while that module is imported we build it with ``\\w`` in place of the spelled-out letter classes:
the same words are kept whole, in about a tenth of a second. Nothing else changes, and the shipped
models are trained with the same tokenizer they run with.

Nothing happens at import: whoever is about to build a pipeline calls :func:`prepare` with its
language (the analyser, the trainer), and only then, for French, is ``re.compile`` replaced, for
the time of that one import, under a lock.
"""

from __future__ import annotations

import re
import sys
import threading
from typing import Any

from spacy.lang.char_classes import ALPHA, ALPHA_LOWER

__all__ = ["import_french_quickly", "prepare"]

_lock = threading.Lock()


def prepare(lang: str) -> None:
    """Make ``lang``'s spaCy language data ready before a pipeline of it is built."""
    if lang == "fr":
        import_french_quickly()


def import_french_quickly() -> None:
    """Import ``spacy.lang.fr`` with the cheap token-match expression (no-op if already done)."""
    if "spacy.lang.fr.tokenizer_exceptions" in sys.modules:
        return
    with _lock:
        if "spacy.lang.fr.tokenizer_exceptions" in sys.modules:
            return
        real_compile = re.compile

        def compile_cheaply(pattern: Any, flags: Any = 0) -> re.Pattern[Any]:
            if isinstance(pattern, str) and pattern.startswith("(?iu)") and ALPHA in pattern:
                pattern = pattern.replace(ALPHA_LOWER, r"\w").replace(ALPHA, r"\w")
            return real_compile(pattern, flags)

        re.compile = compile_cheaply
        try:
            import spacy.lang.fr  # noqa: F401
        finally:
            re.compile = real_compile
