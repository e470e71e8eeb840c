"""What the review desk writes to the audit log after every reviewer action.

One entry per attempt, whatever became of it: applied, refused by the desk (the card is gone,
the draft was decided already, an edit without text…) or refused because the person is not a
reviewer. It says who (``platform:user id``), what (the action), when, from which platform, on
which card, and why it was refused (the notice kind) — never the text of an edit or of the
customer's message.
"""

from __future__ import annotations

import logging

from bot.domain import ReviewAction
from bot.review.cards import ActionOutcome, NoticeKind, ReviewerAction
from bot.store import Store

__all__ = ["record_action"]

log = logging.getLogger(__name__)


def _card_of(store: Store, action: ReviewerAction, outcome: ActionOutcome) -> int | None:
    if outcome.card is not None:
        return outcome.card.card_id
    if action.draft_id is not None:
        return store.card_of_draft(action.draft_id)
    if action.card is not None:
        return store.card_at(
            desk=action.card.desk, chat_id=action.card.chat_id, message_id=action.card.message_id
        )
    return None


def record_action(store: Store, action: ReviewerAction, outcome: ActionOutcome) -> None:
    """Write the entry for ``action`` (run it on the desk's deciding thread: it is blocking).

    A store that fails here is logged, not raised: the action itself is already done or
    refused, and the person who acted must hear about it.
    """
    kind = outcome.notice.kind if outcome.notice is not None else None
    if outcome.applied:
        result = "applied"
        # The intent a reviewer picked is one of the brand's intents, never free text.
        reason = f"intent={action.intent}" if action.action is ReviewAction.FIX_INTENT else None
    else:
        result = "not_reviewer" if kind is NoticeKind.NOT_REVIEWER else "refused"
        reason = None if kind is None or kind is NoticeKind.NOT_REVIEWER else kind.value
    try:
        store.record_audit(
            actor=f"{action.platform}:{action.reviewer_id}",
            platform=action.platform,
            action=action.action.value,
            outcome=result,
            reason=reason,
            card_id=_card_of(store, action, outcome),
        )
    except Exception:
        log.exception("review desk: the audit entry of a %s could not be written", action.action)
