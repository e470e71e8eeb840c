"""The reply template library: ``templates/<lang>/<intent>/<variant>.j2`` with YAML front matter.

Every variant starts with a Jinja comment holding its front matter::

    {#-
    requires: [order_number]   # variables that must be non-empty for this variant
    promotional: false         # true when the variant mentions the offer
    sentiments: [negative]     # moods it fits (default: all)
    priority: 0                # higher is tried first among equally personal variants
    -#}

Templates render in a sandboxed environment with ``StrictUndefined``: a name the drafter does not
provide is an error, never a silent blank or "None". Customer text only ever enters a template as
a variable's value, so ``{{ 7*7 }}`` typed by a customer is printed as typed, never evaluated.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jinja2 import FileSystemLoader, StrictUndefined, TemplateError
from jinja2 import meta as meta_api
from jinja2.sandbox import SandboxedEnvironment

from bot.domain import SENTIMENTS
from bot.errors import TemplateProblem, Words

__all__ = ["TemplateLibrary", "TemplateVariant"]

_FRONT_MATTER = re.compile(r"\A\s*\{#-?(?P<body>.*?)-?#\}", re.DOTALL)
_BLANK_LINES = re.compile(r"\n{3,}")
_KNOWN_KEYS = {"requires", "promotional", "sentiments", "priority"}


@dataclass(frozen=True, slots=True)
class TemplateVariant:
    """One way of answering an intent in a language."""

    name: str  # "fr/order_status/with_number"
    language: str
    intent: str
    requires: tuple[str, ...] = ()
    promotional: bool = False
    sentiments: tuple[str, ...] = SENTIMENTS
    priority: int = 0
    #: Variables the variant's text refers to (those of its imported macros aside).
    uses: frozenset[str] = frozenset()

    def sort_key(self) -> tuple[bool, int, int, str]:
        """Non-promotional first, then the most personal (most requirements), then priority."""
        return (self.promotional, -len(self.requires), -self.priority, self.name)


class TemplateLibrary:
    """Loads, indexes and renders the reply templates of one folder."""

    def __init__(self, root: Path) -> None:
        if not root.is_dir():
            raise TemplateProblem("templates.no_folder", root=root)
        self.root = root
        self.env = SandboxedEnvironment(
            loader=FileSystemLoader(str(root)),
            undefined=StrictUndefined,
            autoescape=False,  # plain text; escaping happens per channel, after rendering
            keep_trailing_newline=False,
            auto_reload=False,
        )
        self._variants: dict[tuple[str, str], list[TemplateVariant]] = {}
        self.problems: list[Words] = []
        for path in sorted(root.glob("*/*/*.j2")):
            try:
                variant = self._read_variant(path)
            except TemplateProblem as exc:
                self.problems.append(exc.words)
                continue
            self._variants.setdefault((variant.language, variant.intent), []).append(variant)
        for variants in self._variants.values():
            variants.sort(key=TemplateVariant.sort_key)

    def _read_variant(self, path: Path) -> TemplateVariant:
        relative = path.relative_to(self.root).with_suffix("")
        language, intent, _ = relative.parts
        name = relative.as_posix()
        source = path.read_text(encoding="utf-8")
        match = _FRONT_MATTER.match(source)
        meta: Any = {}
        if match:
            try:
                meta = yaml.safe_load(match.group("body")) or {}
            except yaml.YAMLError as exc:
                raise TemplateProblem("templates.bad_yaml", name=name, error=exc) from None
        if not isinstance(meta, dict):
            raise TemplateProblem("templates.not_mapping", name=name)
        unknown = set(meta) - _KNOWN_KEYS
        if unknown:
            raise TemplateProblem("templates.unknown_keys", name=name, keys=sorted(unknown))
        sentiments = tuple(meta.get("sentiments") or SENTIMENTS)
        if not set(sentiments) <= set(SENTIMENTS):
            choices = ", ".join(SENTIMENTS)
            raise TemplateProblem("templates.bad_sentiments", name=name, choices=choices)
        try:
            self.env.get_template(f"{name}.j2")
            # The names the variant's own text reads (not its macros'), for the reviewer's "why".
            uses = frozenset(meta_api.find_undeclared_variables(self.env.parse(source)))
        except TemplateError as exc:
            raise TemplateProblem("templates.does_not_compile", name=name, error=exc) from None
        return TemplateVariant(
            name=name,
            language=language,
            intent=intent,
            requires=tuple(str(r) for r in meta.get("requires") or ()),
            promotional=bool(meta.get("promotional", False)),
            sentiments=sentiments,
            priority=int(meta.get("priority", 0)),
            uses=uses,
        )

    def variants(self, language: str, intent: str) -> list[TemplateVariant]:
        return list(self._variants.get((language, intent), ()))

    def intents(self, language: str) -> set[str]:
        return {intent for lang, intent in self._variants if lang == language}

    def render(self, variant: TemplateVariant, context: Mapping[str, Any]) -> str:
        """Render and tidy: strip every line, keep at most one blank line between paragraphs."""
        try:
            raw = self.env.get_template(f"{variant.name}.j2").render(context)
        except TemplateError as exc:
            raise TemplateProblem("templates.render_failed", name=variant.name, error=exc) from exc
        lines = [" ".join(line.split()) for line in raw.splitlines()]
        text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
        if not text:
            raise TemplateProblem("templates.empty_reply", name=variant.name)
        return text
