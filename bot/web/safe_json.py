"""JSON from strangers: a size and a nesting limit checked before the parser runs.

``json.loads`` recurses once per ``[`` or ``{``: a body of 100,000 brackets raises
``RecursionError`` deep inside the parser (a 500 and a long traceback) instead of a clear 400.
``loads`` measures the nesting first, on the raw text with the strings blanked out, and refuses
what is too big or too deep with ``UnsafeJSON``, a ``ValueError`` whose ``reason`` says which.
``NaN`` and ``Infinity`` (not JSON, though Python's parser takes them) are refused as well.
"""

from __future__ import annotations

import json
import re
from typing import Any, Final, Literal

__all__ = ["MAX_BYTES", "MAX_DEPTH", "UnsafeJSON", "loads", "nesting"]

#: Largest JSON document taken by default: far above any playground request, far below memory.
MAX_BYTES: Final = 256 * 1024
#: Deepest nesting taken by default (the web API's objects are two levels deep).
MAX_DEPTH: Final = 32

Reason = Literal["too_large", "too_deep", "not_json"]

# A JSON string literal, escapes included; blanked before brackets are counted.
_STRING: Final = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET: Final = re.compile(r"[\[\]{}]")


class UnsafeJSON(ValueError):
    """The document was not parsed: ``reason`` is ``too_large``, ``too_deep`` or ``not_json``."""

    def __init__(self, reason: Reason, detail: str) -> None:
        super().__init__(detail)
        self.reason: Reason = reason
        self.detail = detail


def nesting(text: str) -> int:
    """The deepest ``[``/``{`` nesting of ``text`` outside string literals (no recursion)."""
    depth = deepest = 0
    for bracket in _BRACKET.finditer(_STRING.sub('""', text)):
        if bracket.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def loads(data: bytes | str, *, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH) -> Any:
    """Parse ``data`` (UTF-8 when bytes) or raise ``UnsafeJSON``; never ``RecursionError``."""
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise UnsafeJSON("too_large", f"the JSON document is larger than {max_bytes} bytes")
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise UnsafeJSON("not_json", "the body is not UTF-8 text") from None
    else:
        text = data
    if nesting(text) > max_depth:
        raise UnsafeJSON("too_deep", f"the JSON document is nested deeper than {max_depth}")
    try:
        return json.loads(text, parse_constant=_no_constant)
    except RecursionError:  # pragma: no cover - the nesting check above comes first
        raise UnsafeJSON("too_deep", "the JSON document is nested too deep") from None
    except ValueError as exc:
        # JSONDecodeError, NaN/Infinity, and integers longer than Python converts.
        raise UnsafeJSON("not_json", f"the body is not JSON ({exc})") from None
