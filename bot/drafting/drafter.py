"""The drafter: chooses reply templates for an analysed message and renders ranked drafts.

Choice: the variants of the detected intent in the reply language, keeping only those whose
required details are known, that fit the customer's mood, and that respect the offer policy;
ranked non-promotional first, then most personal. A variant that fails to render is skipped with a
reason; if none of the intent's variants can render, the neutral ``other`` hand-off is used; if
even that fails, no draft is produced and the reasons say why (the message is never dropped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from bot.config import AppConfig, Product
from bot.domain import (
    HANDOFF_INTENT,
    Analysis,
    CustomerProfile,
    Draft,
    Facts,
    History,
    Platform,
    Why,
)
from bot.drafting.details import as_written, item_detail, money_text, product_detail
from bot.drafting.earlier import EarlierReplies, adapt, closest, personal_facts
from bot.drafting.facts import OrderView, fact_context
from bot.drafting.policies import OfferDecision, decide_offer
from bot.drafting.ranking import NOTHING, Ranked, Ranking
from bot.drafting.templates import TemplateLibrary, TemplateVariant
from bot.errors import TemplateProblem, Words

__all__ = ["EARLIER", "DraftResult", "Drafter", "first_name"]

#: The template name an earlier approved reply is stored under ("fr/order_status/earlier").
EARLIER = "earlier"

#: Details a draft can echo back, named in the "why" when the message gave them.
_DETAILS = (
    "order_number", "tracking_number", "product", "date", "time", "email", "phone", "money",
)  # fmt: skip
# Handles and display names often carry decorations that do not belong in "Bonjour Julie,".
_NAME_PART = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)


@dataclass(frozen=True, slots=True)
class DraftResult:
    drafts: tuple[Draft, ...]
    language: str
    offer: OfferDecision
    #: Variants that were skipped and why (missing detail, render error…), for `replique check`.
    skipped: tuple[Words, ...] = ()
    #: Set when no draft at all could be produced.
    blocked_reason: Words | None = None


def first_name(display_name: str | None) -> str:
    """The first real word of a display name, capitalised: "@julie_t" -> "Julie", "" if none."""
    if not display_name:
        return ""
    match = _NAME_PART.search(display_name)
    if not match:
        return ""
    word = match.group(0)
    if len(word) < 2:
        return ""
    return word if any(c.isupper() for c in word) else word.capitalize()


class Drafter:
    """Renders up to three ranked candidate replies for one analysed message."""

    def __init__(self, config: AppConfig, library: TemplateLibrary | None = None) -> None:
        self._config = config
        self.library = library or TemplateLibrary(config.templates_dir)
        self._products = {p.name: p for p in config.catalog_data.products}
        #: What reviewers did with each variant, when the drafter learns from a store.
        self.ranking: Ranking | None = None
        #: Earlier approved replies, offered as one more version when close enough.
        self.earlier: EarlierReplies | None = None

    def learn_from(self, *, ranking: Ranking | None, earlier: EarlierReplies | None) -> None:
        """Rank variants by their track record and offer earlier replies (the review desk
        does this with its store; ``replique draft`` has no history and does not)."""
        self.ranking = ranking
        self.earlier = earlier

    def reply_language(self, analysis: Analysis, profile: CustomerProfile) -> str:
        languages = self._config.brand.languages
        for candidate in (analysis.language, profile.language, self._config.brand.default_language):
            if candidate in languages:
                return candidate
        return languages[0]

    def context(
        self,
        analysis: Analysis,
        profile: CustomerProfile,
        *,
        channel: Platform,
        offer: OfferDecision,
        language: str,
        facts: Facts | None = None,
        history: History | None = None,
    ) -> dict[str, Any]:
        """Every variable a template may use; absent details are None, never missing."""

        def entity(label: str) -> str | None:
            found = analysis.first(label)
            return (found.value or found.text) if found else None

        date = analysis.first("DATE")
        product = self._product(entity("PRODUCT"), language)
        item = analysis.first("ITEM")
        if product is None and item is not None:
            product = item_detail(item, language=language)
        currency = self._config.catalog_data.currency
        brand = self._config.brand
        return {
            "customer": SimpleNamespace(first_name=first_name(profile.name)),
            "brand": SimpleNamespace(name=brand.name, sign_off=brand.sign_off_for(language)),
            "greet": not profile.greeted,
            # Customers who write "tu" get "tu"; everyone else gets the courteous "vous".
            "formal": analysis.formality != "tu",
            "sentiment": analysis.sentiment,
            "intent": analysis.intent.name,
            "urgent": analysis.is_urgent,
            "question": analysis.is_question,
            "order_number": entity("ORDER_NUMBER"),
            "tracking_number": entity("TRACKING_NUMBER"),
            "email": entity("EMAIL"),
            # Written back as the customer wrote them, not in their normal form (+14185550192).
            "phone": as_written(analysis.first("PHONE")),
            "time": as_written(analysis.first("TIME")),
            "money": money_text(entity("MONEY"), language=language, currency=currency),
            "date": SimpleNamespace(text=date.text, value=date.value) if date else None,
            "product": product,
            "offer": (
                SimpleNamespace(
                    code=self._config.offers.code, discount=self._config.offers.discount
                )
                if offer.allowed
                else None
            ),
            "channel": channel,
            **fact_context(facts, history),
        }

    def _product(self, name: str | None, language: str) -> SimpleNamespace | None:
        if name is None:
            return None
        product: Product = self._products.get(name) or Product(name=name)
        price = None
        if product.price is not None:
            currency = self._config.catalog_data.currency
            price = money_text(
                f"{product.price:.2f} {currency}", language=language, currency=currency
            )
        return product_detail(product, language=language, price=price)

    def draft(
        self,
        analysis: Analysis,
        profile: CustomerProfile,
        *,
        channel: Platform = "cli",
        now: datetime | None = None,
        limit: int | None = None,
        facts: Facts | None = None,
        history: History | None = None,
        message_text: str = "",
    ) -> DraftResult:
        now = now or datetime.now(UTC)
        limit = limit or self._config.policies.max_drafts
        language = self.reply_language(analysis, profile)
        offer = decide_offer(
            analysis,
            profile,
            offers=self._config.offers,
            policies=self._config.policies,
            now=now,
        )
        context = self.context(
            analysis,
            profile,
            channel=channel,
            offer=offer,
            language=language,
            facts=facts,
            history=history,
        )
        skipped: list[Words] = []
        drafts = self._render_intent(analysis.intent.name, language, context, limit, skipped)
        if not drafts and analysis.intent.name != HANDOFF_INTENT:
            skipped.append(Words("drafter.fallback", intent=analysis.intent.name))
            drafts = self._render_intent(HANDOFF_INTENT, language, context, 1, skipped)
        made = [
            Draft(
                text=text,
                template=placed.variant.name,
                promotional=placed.variant.promotional,
                why=replace(
                    self._why(
                        analysis,
                        placed.variant,
                        offer,
                        context,
                        facts=facts,
                        history=history,
                        facts_used=used,
                    ),
                    sent_as_is=placed.record.sent,
                    decided=placed.record.decided,
                    trial=placed.trial,
                    personal=len(personal_facts(text, context)),
                ),
                rank=rank,
                language=language,
                offer_blocked=None if offer.allowed else offer.policy,
            )
            for rank, (placed, text, used) in enumerate(drafts, start=1)
        ]
        if made and message_text and self.earlier is not None:
            again = self._earlier(analysis, profile, message_text, made, context, channel)
            if again is not None:
                made.append(replace(again, rank=len(made) + 1))
        ranked = tuple(made)
        blocked: Words | None = None
        if not ranked:
            blocked = skipped[-1] if skipped else Words("drafter.no_template")
        return DraftResult(ranked, language, offer, tuple(skipped), blocked)

    def _render_intent(
        self,
        intent: str,
        language: str,
        context: dict[str, Any],
        limit: int,
        skipped: list[Words],
    ) -> list[tuple[Ranked, str, tuple[str, ...]]]:
        """The rendered variants in ranked order, each with the order facts its text states."""
        variants = self.library.variants(language, intent)
        fitting = [v for v in variants if context["sentiment"] in v.sentiments] or variants
        candidates = (
            self.ranking.order(intent, fitting)
            if self.ranking is not None
            else [Ranked(v, NOTHING) for v in fitting]
        )
        rendered: list[tuple[Ranked, str, tuple[str, ...]]] = []
        for placed in candidates:
            variant = placed.variant
            if len(rendered) >= limit:
                break
            if variant.promotional and context["offer"] is None:
                continue
            missing = [name for name in variant.requires if not context.get(name)]
            if missing:
                skipped.append(
                    Words("drafter.needs", name=variant.name, missing=", ".join(missing))
                )
                continue
            order = context.get("order")
            view = order.fresh() if isinstance(order, OrderView) else None
            try:
                text = self.library.render(variant, {**context, "order": view} if view else context)
            except TemplateProblem as exc:
                skipped.append(exc.words)
                continue
            rendered.append((placed, text, view.used() if view else ()))
        return rendered

    def _earlier(
        self,
        analysis: Analysis,
        profile: CustomerProfile,
        message_text: str,
        made: list[Draft],
        context: dict[str, Any],
        channel: Platform,
    ) -> Draft | None:
        """The closest earlier approved reply, about this customer, unless it says nothing the
        templates' drafts do not."""
        if self.earlier is None or analysis.handoff:
            return None
        language = made[0].language
        candidates = self.earlier.earlier_replies(language, analysis.intent.name)
        shown = {d.text for d in made}
        for reply in closest(message_text, candidates):
            theirs = self.context(
                reply.analysis,
                CustomerProfile(customer_id="", name=reply.customer_name),
                channel=channel,
                offer=OfferDecision(allowed=False),
                language=language,
            )
            text = adapt(reply, theirs=theirs, ours=context)
            if text is None or text in shown:
                continue
            code = self._config.offers.code
            promotional = bool(code) and code in text
            if promotional and context["offer"] is None:
                continue  # an offer the policies hold back for this customer
            uses = personal_facts(text, context)
            first = made[0].why
            why = Why(
                intent=first.intent,
                confidence=first.confidence,
                sentiment=first.sentiment,
                model_intent=first.model_intent,
                uses=uses,
                formality=first.formality,
                urgent=first.urgent,
                promotional=promotional,
                earlier_on=reply.decided_at.date().isoformat(),
                personal=len(uses),
            )
            return Draft(
                text=text,
                template=f"{language}/{analysis.intent.name}/{EARLIER}",
                promotional=promotional,
                why=why,
                language=language,
                offer_blocked=made[0].offer_blocked,
            )
        return None

    @staticmethod
    def _why(
        analysis: Analysis,
        variant: TemplateVariant,
        offer: OfferDecision,
        context: dict[str, Any],
        *,
        facts: Facts | None = None,
        history: History | None = None,
        facts_used: tuple[str, ...] = (),
    ) -> Why:
        """What the reviewer needs to trust this draft: what was understood, which details it
        uses, what was held back (``bot/wording.py`` makes it one line)."""
        used = [name for name in _DETAILS if name in variant.uses and context.get(name)]
        # The greeting macro is where the first name goes, so a greeting draft uses it.
        if context["customer"].first_name and (context["greet"] or "customer" in variant.uses):
            used.insert(0, "first_name")
        predicted = analysis.predicted_intent
        return Why(
            intent=analysis.intent.name,
            confidence=analysis.intent.confidence,
            sentiment=analysis.sentiment,
            model_intent=predicted.name if predicted is not None else None,
            uses=tuple(used),
            formality=analysis.formality,
            promotional=variant.promotional,
            held_offer=None if variant.promotional else offer.held,
            urgent=analysis.is_urgent,
            facts=facts_used,
            order_facts=facts,
            history=history,
        )
