"""Edits become wording: reviewers' frequent edits of a template, grouped, and a new variant.

When reviewers keep making the same change to a template's drafts (adding "sorry for the
wait", dropping a sentence), the template should say it. Each edit is read as a word diff
between the draft and what went out, after the customer's own details (first name, order
number, e-mail…) are masked, so two customers' edits of the same kind look the same. Edits of one
template whose changed words overlap enough (Jaccard ≥ ``SAME_EDIT``) form a group; the
strongest groups are shown on ``/insights`` with their diff, and ``replique templates suggest``
writes the strongest as a new variant file for a person to review and commit.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.drafting.details import as_written
from bot.drafting.drafter import first_name
from bot.store.codec import analysis_from_json
from bot.store.learning import TemplateEdit

__all__ = [
    "DiffPiece",
    "EditGroup",
    "group_edits",
    "masked",
    "suggestion_path",
    "variant_source",
    "word_diff",
]

#: How alike two edits' changed words must be to count as the same edit.
SAME_EDIT = 0.5
#: Customer details masked before comparing, and the template variable each becomes.
_VARIABLES = {
    "ORDER_NUMBER": "order_number",
    "TRACKING_NUMBER": "tracking_number",
    "EMAIL": "email",
    "PHONE": "phone",
}
_NAME = "customer.first_name"
_PLACEHOLDER = re.compile(r"\u27e6([a-z_.]+)\u27e7")
_TOKEN = re.compile(r"\S+|\s+")


@dataclass(frozen=True, slots=True)
class DiffPiece:
    """A run of words kept ("equal"), taken out ("delete") or put in ("insert")."""

    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class EditGroup:
    """Edits of one template that make the same change."""

    template: str
    language: str
    intent: str
    #: The edits, newest first.
    edits: tuple[TemplateEdit, ...]
    #: The draft and the edited text most edits of the group end at, details masked.
    draft: str
    edited: str

    @property
    def count(self) -> int:
        return len(self.edits)

    def diff(self) -> list[DiffPiece]:
        return word_diff(self.draft, self.edited)


def _details(edit: TemplateEdit) -> dict[str, str]:
    """This customer's details as they appear in texts → the variable that stands for them."""
    found: dict[str, str] = {}
    analysis = analysis_from_json(edit.analysis_payload)
    for entity in analysis.entities:
        name = _VARIABLES.get(entity.label)
        if name is None:
            continue
        written = as_written(entity) if entity.label == "PHONE" else (entity.value or entity.text)
        for form in {entity.text, written}:
            if form:
                found[form] = name
    return found


def masked(text: str, edit: TemplateEdit) -> str:
    """``text`` with the customer's details replaced by ⟦variable⟧ placeholders."""
    for form, name in sorted(_details(edit).items(), key=lambda kv: -len(kv[0])):
        text = text.replace(form, f"\u27e6{name}\u27e7")
    name = first_name(edit.customer_name)
    if name:
        text = re.sub(rf"(?<![\w]){re.escape(name)}(?![\w])", f"\u27e6{_NAME}\u27e7", text)
    return text


def word_diff(before: str, after: str) -> list[DiffPiece]:
    """The word-level diff of two texts (whitespace kept with the words)."""
    left, right = _TOKEN.findall(before), _TOKEN.findall(after)
    pieces: list[DiffPiece] = []
    matcher = difflib.SequenceMatcher(a=left, b=right, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op in ("equal", "delete"):
            pieces.append(DiffPiece(op, "".join(left[i1:i2])))
        elif op == "insert":
            pieces.append(DiffPiece("insert", "".join(right[j1:j2])))
        else:
            pieces.append(DiffPiece("delete", "".join(left[i1:i2])))
            pieces.append(DiffPiece("insert", "".join(right[j1:j2])))
    return pieces


def _signature(draft: str, edited: str) -> frozenset[str]:
    changed: set[str] = set()
    for piece in word_diff(draft, edited):
        if piece.kind != "equal":
            sign = "-" if piece.kind == "delete" else "+"
            changed.update(f"{sign}{w.casefold()}" for w in piece.text.split())
    return frozenset(changed)


def _alike(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a and not b:
        return True
    return len(a & b) / len(a | b) >= SAME_EDIT


def group_edits(edits: Sequence[TemplateEdit], *, at_least: int = 2) -> list[EditGroup]:
    """Groups of at least ``at_least`` alike edits, strongest (most edits) first."""
    seeds: list[tuple[str, frozenset[str], list[tuple[TemplateEdit, str, str]]]] = []
    for edit in edits:
        draft, edited = masked(edit.draft_text, edit), masked(edit.edited_text, edit)
        signature = _signature(draft, edited)
        if not signature:
            continue  # nothing but the customer's details changed
        for template, seed, members in seeds:
            if template == edit.template and _alike(seed, signature):
                members.append((edit, draft, edited))
                break
        else:
            seeds.append((edit.template, signature, [(edit, draft, edited)]))
    groups = []
    for _, _, members in seeds:
        if len(members) < at_least:
            continue
        first = members[0][0]
        # The ending most reviewers wrote, and a draft it was written from.
        edited, _ = Counter(m[2] for m in members).most_common(1)[0]
        draft = next(m[1] for m in members if m[2] == edited)
        groups.append(
            EditGroup(
                template=first.template,
                language=first.language,
                intent=first.intent,
                edits=tuple(m[0] for m in members),
                draft=draft,
                edited=edited,
            )
        )
    return sorted(groups, key=lambda g: (-g.count, g.template))


def _jinja_literal(text: str) -> str:
    """Text Jinja prints as it is: a "{" that could open a tag is printed by an expression."""
    return text.replace("{", "{{ '{' }}") if "{" in text else text


def suggestion_path(group: EditGroup, root: Path) -> Path:
    """Where the group's variant goes: next to the template it was edited from, named after it
    (``suggested_with_number.j2``, then ``suggested_with_number_2.j2``…)."""
    language, intent, variant = group.template.split("/", 2)
    folder = root / language / intent
    path = folder / f"suggested_{variant}.j2"
    n = 2
    while path.exists():
        path = folder / f"suggested_{variant}_{n}.j2"
        n += 1
    return path


def variant_source(group: EditGroup, *, offer: Mapping[str, Any] | None = None) -> str:
    """The text of a variant file saying what the group's reviewers wrote: front matter first
    (``requires`` lists the details it uses), the customer's details as template variables."""
    text = group.edited
    promotional = False
    code = (offer or {}).get("code")
    if code and code in text:
        text = text.replace(code, "\u27e6offer.code\u27e7")
        promotional = True
    parts: list[str] = []
    used: list[str] = []
    position = 0
    for match in _PLACEHOLDER.finditer(text):
        literal = text[position : match.start()]
        name = match.group(1)
        if name == _NAME:
            # "Hi Julie," for Julie, "Hi," when no first name is known.
            stripped = literal.rstrip(" ")
            parts.append(_jinja_literal(stripped))
            gap = literal[len(stripped) :]
            parts.append(
                f"{{% if customer.first_name %}}{gap}{{{{ customer.first_name }}}}{{% endif %}}"
            )
        else:
            parts.append(_jinja_literal(literal))
            parts.append(f"{{{{ {name} }}}}")
            root = name.split(".")[0]
            if root not in used:
                used.append(root)
        position = match.end()
    parts.append(_jinja_literal(text[position:]))
    requires = ", ".join(used)
    header = (
        "{#-\n"
        f"# Suggested from {group.count} edits of {group.template}: review it before committing.\n"
        f"requires: [{requires}]\n"
        f"promotional: {'true' if promotional else 'false'}\n"
        "-#}\n"
    )
    return header + "".join(parts) + "\n"
