"""The shape of a catalogue area: a stable key to one text per language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

__all__ = ["Entries", "Lang"]

Lang = Literal["en", "fr"]

#: One area's messages: ``"area.situation"`` → ``{"en": …, "fr": …}``.
Entries = Mapping[str, Mapping[Lang, str]]
