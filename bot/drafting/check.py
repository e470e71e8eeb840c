"""``replique check``: prove the templates and configuration can answer every message.

Every default intent (and every intent a brand added templates for) needs at least one variant per
enabled language that works with nothing known, and every variant must render without error,
"None" or leftover template syntax against a spread of sample contexts (details known or not,
first reply or not, tu or vous, each mood, offer allowed or not).
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

from bot.config import AppConfig
from bot.domain import DEFAULT_INTENTS, ORDER_STATUSES, SENTIMENTS, Order, OrderItem
from bot.drafting.facts import order_view
from bot.drafting.templates import TemplateLibrary
from bot.errors import TemplateProblem, Words

__all__ = ["check_templates", "sample_contexts"]


def sample_contexts(config: AppConfig, language: str, intent: str) -> list[dict[str, Any]]:
    """Contexts covering what a real message can bring (rich and bare)."""
    brand = SimpleNamespace(name=config.brand.name, sign_off=config.brand.sign_off_for(language))
    rich: dict[str, Any] = {
        "order_number": "A-99812",
        "tracking_number": "1Z999AA10123456784",
        "email": "julie@example.com",
        "phone": "514 555-0123",
        "money": "25 $" if language == "fr" else "$25",
        "time": "après 17h" if language == "fr" else "after 5pm",
        "date": SimpleNamespace(
            text="hier" if language == "fr" else "yesterday", value="2026-11-27"
        ),
        "product": SimpleNamespace(
            name="Mélange Boréal",
            url="https://example.com/p",
            price="18,50 $" if language == "fr" else "$18.50",
            the="l'article Mélange Boréal" if language == "fr" else "Mélange Boréal",
            of="de l'article Mélange Boréal" if language == "fr" else "of Mélange Boréal",
            in_catalogue=True,
        ),
    }
    # Something the customer named that is not in the catalogue: no page, no price.
    item = {
        **rich,
        "product": SimpleNamespace(
            name="bouilloire" if language == "fr" else "kettle",
            url=None,
            price=None,
            the="la bouilloire" if language == "fr" else "the kettle",
            of="de la bouilloire" if language == "fr" else "of the kettle",
            in_catalogue=False,
        ),
    }
    bare = dict.fromkeys(rich)
    rich["order"] = order_view(_SAMPLE_ORDER)
    bare["order"] = None
    contexts = []
    for details, greet, formal, sentiment, offer, name in itertools.product(
        (rich, item, bare), (True, False), (True, False), SENTIMENTS, (True, False), ("Julie", "")
    ):
        contexts.append(
            {
                "customer": SimpleNamespace(first_name=name),
                "brand": brand,
                "greet": greet,
                "formal": formal,
                "sentiment": sentiment,
                "intent": intent,
                "urgent": sentiment == "negative",
                "question": True,
                "channel": "cli",
                "offer": SimpleNamespace(code="MERCI10", discount="10 %") if offer else None,
                "order_mismatch": False,
                "order_not_found": False,
                "open_complaint": None,
                "vip": None,
                **details,
            }
        )
    # What an order system can answer: each status, with every fact or none; the e-mail to
    # confirm, no such order; a complaint to refer back to.
    base = contexts[0]
    for status in ORDER_STATUSES:
        for order in (_SAMPLE_ORDER, Order(number="1001", status=status)):
            contexts.append({**base, "order": order_view(replace(order, status=status))})
    for flags in (
        {"order_mismatch": True},
        {"order_not_found": True},
        {"order_not_found": True, "order_number": None},
        {"open_complaint": SimpleNamespace(days=0)},
        {"open_complaint": SimpleNamespace(days=3), "vip": "VIP"},
    ):
        contexts.append({**base, **flags})
    return contexts


_SAMPLE_ORDER = Order(
    number="48213",
    status="in_transit",
    carrier="Postes Canada",
    tracking_number="7023210039414604",
    tracking_url="https://example.com/track/7023210039414604",
    eta="2026-12-10",
    items=(OrderItem("Moulin Manuel Taïga", 1), OrderItem("Mélange Boréal", 2)),
    email="sophie@example.com",
    first_name="Sophie",
    orders_count=7,
)


def check_templates(config: AppConfig, library: TemplateLibrary | None = None) -> list[Words]:
    """Every problem found, as readable lines; an empty list means all is well."""
    try:
        library = library or TemplateLibrary(config.templates_dir)
    except TemplateProblem as exc:
        return [exc.words]
    problems = list(library.problems)
    for language in config.brand.languages:
        intents = set(DEFAULT_INTENTS) | library.intents(language)
        for intent in sorted(intents):
            variants = library.variants(language, intent)
            if not any(not v.requires and not v.promotional for v in variants):
                problems.append(Words("check.needs_bare_variant", language=language, intent=intent))
            for variant in variants:
                for context in sample_contexts(config, language, intent):
                    if variant.promotional and context["offer"] is None:
                        continue
                    if any(not context.get(name) for name in variant.requires):
                        continue
                    try:
                        text = library.render(variant, context)
                    except TemplateProblem as exc:
                        problems.append(exc.words)
                        break
                    if "None" in text or "{{" in text or "{%" in text:
                        problems.append(
                            Words("check.blank_value", name=variant.name, text=text[:80])
                        )
                        break
    return list(dict.fromkeys(problems))
