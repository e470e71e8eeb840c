"""Learning from the reviewers, on both stores: reviewers fix intents through the review desk,
``replique learn`` promotes a model that gets the family of messages right, the running analyser
picks it up without a restart, and a rollback returns to the model before.

The family: customers asking how many loyalty points they have. The brand's reviewers answer
those as account questions (``account_billing``); the shipped French model reads most of them as
``pricing`` ("combien"), or hands them off.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import AppConfig, ModelsConfig, Reviewers
from bot.domain import Analysis, DraftStatus, InboundMessage, IntentScore, ReviewAction
from bot.learning import PromotedModels, learn_language, roll_back
from bot.learning.learn import SHIPPED
from bot.nlp.analyser import DEFAULT_MODELS, Analyser, AnalysisRequest
from bot.review.cards import ReviewCard, ReviewerAction
from bot.review.desk import ReviewDesk
from bot.review.fakes import MemorySurface
from bot.store import Store
from bot.web.insights_page import render_insights
from tests.integration.test_review_desk import last, make_desk
from tests.learning_family import FIXED, PARAPHRASES, TARGET
from tests.waiting import wait_until

REVIEWER = "U_REVIEWER"


@pytest.fixture
def learning_config(app_config: AppConfig) -> AppConfig:
    review = app_config.review.model_copy(update={"reviewers": Reviewers(slack=(REVIEWER,))})
    # A running service looks for a newer model often here, so the test need not wait long.
    models = ModelsConfig(check_every=0.05)
    return app_config.model_copy(update={"review": review, "models": models})


@pytest.fixture
async def desk(
    store: Store, learning_config: AppConfig, analyser: Analyser
) -> AsyncIterator[ReviewDesk]:
    desk = make_desk(store, learning_config, analyser)
    await desk.start()
    try:
        yield desk
    finally:
        await desk.stop()
        desk.close()


@pytest.fixture
def surface(desk: ReviewDesk) -> MemorySurface:
    surface = MemorySurface("slack", chat_id="C_DESK")
    desk.add_surface(surface)
    return surface


def says(text: str, customer: str) -> InboundMessage:
    return InboundMessage(
        platform="telegram",
        conversation_id=customer,
        customer_id=customer,
        customer_name="Julie Tremblay",
        text=text,
        language_hint="fr",
    )


def click(action: ReviewAction, card: ReviewCard, **extra: object) -> ReviewerAction:
    return ReviewerAction(
        action=action,
        platform="slack",
        reviewer_id=REVIEWER,
        reviewer_name="Léa",
        draft_id=card.draft_id,
        **extra,  # type: ignore[arg-type]
    )


async def review(
    desk: ReviewDesk, surface: MemorySurface, text: str, customer: str, *, fix: str | None
) -> str:
    """A customer writes; the reviewer fixes the intent (when ``fix``) and sends the draft.
    Returns the intent the model had given."""
    await desk.receive(says(text, customer), event_id=f"e-{customer}")
    _, card = last(surface)
    predicted = card.intent
    if fix is not None and predicted != fix:
        fixed = await desk.act(click(ReviewAction.FIX_INTENT, card, intent=fix))
        assert fixed.applied
        assert fixed.card is not None
        card = fixed.card
    assert (await desk.act(click(ReviewAction.SEND, card))).applied
    return predicted


def right_share(analyser: Analyser, texts: Sequence[str]) -> float:
    found = analyser.analyse_many([AnalysisRequest(text, hint="fr") for text in texts])
    return sum(a.intent.name == TARGET for a in found) / len(texts)


async def test_a_dozen_fixes_teach_the_family_without_losing_the_evaluation_set(
    store: Store,
    desk: ReviewDesk,
    surface: MemorySurface,
    learning_config: AppConfig,
    tmp_path: Path,
) -> None:
    predicted = [
        await review(desk, surface, text, f"c{i}", fix=TARGET) for i, text in enumerate(FIXED)
    ]
    assert all(intent != TARGET for intent in predicted)  # each one was a real fix
    # Replies that went out without a fix confirm their intent; a discarded one teaches nothing.
    await review(desk, surface, "Où en est ma commande 4821 ?", "k1", fix=None)
    await desk.receive(says("Combien coûte le moulin à café ?", "k2"), event_id="e-k2")
    _, dropped = last(surface)
    assert (await desk.act(click(ReviewAction.DISCARD, dropped))).applied

    # The service's analyser, running with the shipped model, reads the family wrong.
    running = Analyser(learning_config, learned=PromotedModels(store))
    before = right_share(running, PARAPHRASES)
    assert before < 0.6
    assert running.intent_model("fr") == DEFAULT_MODELS / "fr" / "intent"

    report = learn_language(store, learning_config, "fr", models_dir=tmp_path / "models")

    assert report.corrections == len(FIXED)
    assert report.confirmed == 1
    assert report.before.model == SHIPPED
    assert report.after is not None
    assert report.promoted, report.as_json()
    # Not worse on the evaluation set: at most one message lost, the noise of retraining alone.
    n = report.before.n
    assert round(report.after.accuracy * n) >= round(report.before.accuracy * n) - 1
    assert report.after.n == report.before.n > 300
    assert report.path is not None
    assert report.path.parent == (tmp_path / "models" / "fr" / "intent").resolve()
    assert (report.path / "meta.json").exists()
    assert [p.name for p in report.path.parent.iterdir()] == [report.path.name]  # no leftovers
    # The model in use for English is untouched: nothing was reviewed in English.
    english = learn_language(store, learning_config, "en", models_dir=tmp_path / "models")
    assert not english.promoted
    assert english.outcome == "nothing_new"

    # The running analyser picks the promotion up by itself, without a restart.
    await wait_until(
        lambda: running.analyse("Bonjour", hint="fr") and running.intent_model("fr") == report.path
    )
    after = right_share(running, PARAPHRASES)
    assert after >= 0.8, f"{after:.0%} of the fresh paraphrases right (was {before:.0%})"

    # Nothing new since: the next nightly run promotes nothing.
    again = learn_language(store, learning_config, "fr", models_dir=tmp_path / "models")
    assert again.outcome == "unchanged"
    assert not again.promoted

    # Rolling back returns to the shipped model, in the running service too.
    (undone,) = roll_back(store, learning_config, languages=["fr"])
    assert undone.rolled_back is not None
    assert undone.rolled_back.model_id == report.path.name
    assert undone.now is None
    await wait_until(
        lambda: (
            running.analyse("Bonjour", hint="fr")
            and running.intent_model("fr") == DEFAULT_MODELS / "fr" / "intent"
        )
    )
    assert right_share(running, PARAPHRASES) == before
    # The next nightly run does not bring back what was rolled back: nothing new was learned.
    rerun = learn_language(store, learning_config, "fr", models_dir=tmp_path / "models")
    assert rerun.outcome == "rolled_back_before"
    assert store.active_models() == {}


async def test_the_labels_come_from_fixes_and_approvals_never_from_discards(
    store: Store, desk: ReviewDesk, surface: MemorySurface
) -> None:
    # Fixed twice: the reviewer's last word counts.
    await desk.receive(says("Mes points fidélité, j'en ai combien ?", "a"), event_id="a")
    _, card = last(surface)
    first = await desk.act(click(ReviewAction.FIX_INTENT, card, intent="question"))
    assert first.card is not None
    second = await desk.act(click(ReviewAction.FIX_INTENT, first.card, intent=TARGET))
    assert second.card is not None
    # Fixed, then discarded: the fix is still a person's label.
    await desk.receive(says("Je voudrais annuler mon abonnement", "b"), event_id="b")
    _, card = last(surface)
    fixed = await desk.act(click(ReviewAction.FIX_INTENT, card, intent="complaint"))
    assert fixed.card is not None
    assert (await desk.act(click(ReviewAction.DISCARD, fixed.card))).applied
    # Discarded without a fix: its intent is nobody's label.
    await desk.receive(says("Where is my order 5512?", "c"), event_id="c")
    _, card = last(surface)
    assert (await desk.act(click(ReviewAction.DISCARD, card))).applied
    # Edited and sent: the intent is confirmed.
    await desk.receive(says("I was charged twice for order 8812", "d"), event_id="d")
    _, card = last(surface)
    edited = await desk.act(click(ReviewAction.EDIT, card, edited_text="Refund on its way."))
    assert edited.applied
    # Still pending: not reviewed yet.
    await desk.receive(says("Bonjour, vous ouvrez à quelle heure ?", "e"), event_id="e")

    examples = store.reviewed_examples()
    labelled = {e.text: (e.intent, e.fixed, e.language) for e in examples}
    assert labelled == {
        "Mes points fidélité, j'en ai combien ?": (TARGET, True, "fr"),
        "Je voudrais annuler mon abonnement": ("complaint", True, "fr"),
        "I was charged twice for order 8812": (card.intent, False, "en"),
    }
    assert card.intent == "account_billing"
    assert [e.text for e in store.reviewed_examples(language="en")] == [
        "I was charged twice for order 8812"
    ]
    assert (await desk.card_for_draft(card.draft_id)).status is DraftStatus.EDITED  # type: ignore[union-attr]


def test_insights_show_intent_fixes_per_100_messages_around_each_promotion(
    store: Store, tmp_path: Path
) -> None:
    t0 = datetime(2026, 12, 8, 3, 0, tzinfo=UTC)

    def arrives(at: datetime, *, fixed: bool, lang: str = "fr") -> None:
        intake = store.take_in(
            InboundMessage(
                platform="web",
                conversation_id=f"c{at.timestamp()}",
                customer_id=f"c{at.timestamp()}",
                text="…",
                received_at=at,
            )
        )
        found = Analysis(
            language=lang,  # type: ignore[arg-type]
            language_confidence=0.99,
            intent=IntentScore("pricing", 0.6),
            alternatives=(),
            sentiment="neutral",
            sentiment_confidence=0.8,
        )
        store.save_drafting(intake.recorded, analysis=found, drafts=[])
        if fixed:
            store.record_intent_correction(
                intake.recorded.message_pk, predicted="pricing", corrected=TARGET, reviewer="U1"
            )

    # Before: 2 of 4 French messages fixed; after: 1 of 5; English messages do not count.
    for hours, fixed in ((30, True), (20, True), (10, False), (5, False)):
        arrives(t0 - timedelta(hours=hours), fixed=fixed)
    for hours, fixed in ((1, True), (2, False), (3, False), (4, False), (5, False)):
        arrives(t0 + timedelta(hours=hours), fixed=fixed)
    arrives(t0 + timedelta(hours=1), fixed=True, lang="en")
    store.record_promotion(
        language="fr",
        model_id="20261208-030000-abc123",
        path=tmp_path,
        corrections=2,
        confirmed=0,
        figures={},
        at=t0,
    )

    found = store.insights(since=t0 - timedelta(days=7), until=t0 + timedelta(days=1))
    (effect,) = found.promotions
    assert (effect.messages_before, effect.fixed_before) == (4, 2)
    assert (effect.messages_after, effect.fixed_after) == (5, 1)
    assert effect.fixes_per_100_before == 50.0
    assert effect.fixes_per_100_after == 20.0
    page = render_insights(found, lang="en", days=7)
    assert "20261208-030000-abc123" in page
    assert "50.0 (2 of 4)" in page
    assert "20.0 (1 of 5)" in page
    assert "Aucun modèle promu" in render_insights(
        store.insights(since=t0 + timedelta(days=2), until=t0 + timedelta(days=3)),
        lang="fr",
        days=1,
    )
