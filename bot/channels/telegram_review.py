"""Reviewers in the Telegram agents group: buttons, reactions and edits, stored then applied.

A decision (✅ ❌ 🔁, an intent, a reaction, the reply to an edit prompt) is stored by
``ReviewDesk.record`` before Telegram is told "received" (the callback answered, the update
confirmed), then applied in a task of its own, so the next update is not kept waiting. What needs
no storing is answered at once: the intent menu, the edit prompt, the notice to someone who is not
a reviewer. An edit is the reply to the prompt that ✏️ posts, and only that: the prompt is stored
as a post of its card, so whichever process receives the reply finds the card.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from zoneinfo import ZoneInfo

from telegram import (
    Bot,
    CallbackQuery,
    ForceReply,
    InlineKeyboardMarkup,
    Message,
    MessageReactionUpdated,
    ReplyParameters,
)

from bot.channels.telegram_calls import quietly
from bot.channels.telegram_cards import (
    Callback,
    confirm_keyboard,
    decode_callback,
    intent_keyboard,
    render_card,
)
from bot.channels.telegram_events import command_of, reaction_action, say
from bot.domain import ReviewAction
from bot.i18n import t
from bot.review.cards import ActionOutcome, CardRef, Notice, NoticeKind, ReviewerAction
from bot.review.ports import Desk
from bot.wording import notice_text

__all__ = ["TelegramReviewers"]

log = logging.getLogger("bot.channels.telegram")


class TelegramReviewers:
    """What reviewers do in the agents group, turned into stored and applied actions."""

    def __init__(self, *, desk: Desk, bot: Bot, review_chat: int | None, zone: ZoneInfo) -> None:
        self._desk = desk
        self._bot = bot
        self._review_chat = review_chat
        self._zone = zone
        self._tasks: set[asyncio.Task[None]] = set()

    async def idle(self) -> None:
        """Wait for the actions being applied (a clean stop lets them finish)."""
        while self._tasks:
            await asyncio.gather(*set(self._tasks), return_exceptions=True)

    def _is_reviewer(self, user_id: int) -> bool:
        return self._desk.is_reviewer("telegram", str(user_id))

    async def _store_then_apply(
        self,
        action: ReviewerAction,
        *,
        update_id: int,
        then: Any = None,
        answer_in: Message | None = None,
    ) -> None:
        """Store ``action`` (raises StoreError when it cannot be), run ``then`` (the
        acknowledgement), and apply it in a task of its own; a refusal is told in reply to
        ``answer_in`` when given, a click or reaction on a version the card no longer shows in
        reply to the card (else only logged: the card itself shows what happened)."""
        recorded = await self._desk.record(action, event_id=str(update_id))
        if then is not None:
            await quietly(then)
        if recorded is None:
            return  # Telegram sent this update before: it was stored, and is applied once

        async def apply() -> None:
            try:
                outcome = await self._desk.apply(recorded)
            except Exception:
                log.exception("telegram: a reviewer action failed")
                return
            await self._after(action, outcome, answer_in=answer_in)

        task = asyncio.get_running_loop().create_task(apply())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _after(
        self, action: ReviewerAction, outcome: ActionOutcome, *, answer_in: Message | None
    ) -> None:
        if outcome.applied:
            if action.action is ReviewAction.EDIT and action.card is not None:
                # The prompt has done its job; the edited card now tells the story.
                await quietly(
                    self._bot.delete_message(int(action.card.chat_id), int(action.card.message_id))
                )
            return
        if outcome.notice is None:
            return
        log.info("telegram: reviewer action not applied (%s)", outcome.notice.kind)
        if answer_in is not None:
            await self._tell(int(action.reviewer_id), outcome.notice, in_group=answer_in)
        elif outcome.notice.kind is NoticeKind.DRAFT_CHANGED and action.card is not None:
            await self._tell_on_card(action.card, outcome.notice)

    async def _tell_on_card(self, card: CardRef, notice: Notice) -> None:
        """A notice in reply to a card message (groups have no private answers to a reaction,
        and the button's answer was given before the action was applied)."""
        await quietly(
            self._bot.send_message(
                int(card.chat_id),
                notice_text(notice, self._zone),
                reply_parameters=ReplyParameters(
                    int(card.message_id), allow_sending_without_reply=True
                ),
            )
        )

    # --- buttons ----------------------------------------------------------------------------

    async def on_button(self, query: CallbackQuery, *, update_id: int) -> None:
        choice = decode_callback(query.data)
        card_message = query.message
        user = query.from_user
        if choice is None or card_message is None:
            await quietly(query.answer())
            return
        ref = CardRef("telegram", str(card_message.chat.id), str(card_message.message_id))
        if not self._is_reviewer(user.id):
            await quietly(query.answer(t("telegram.not_reviewer"), show_alert=True))
            return
        if choice.navigation is not None:
            await quietly(query.answer())
            await self._show_menu(ref, choice.draft_id, which=choice.navigation)
            return
        if choice.action is ReviewAction.EDIT:
            await quietly(query.answer())
            await self._prompt_edit(ref, choice.draft_id)
            return
        if choice.action is None:
            await quietly(query.answer())
            return
        # Stored first; the spinner on the reviewer's button stops once it is.
        await self._store_then_apply(
            self._action(choice.action, user, choice, card=ref),
            update_id=update_id,
            then=query.answer(),
        )

    @staticmethod
    def _action(
        action: ReviewAction,
        user: Any,
        choice: Callback | None = None,
        *,
        card: CardRef | None = None,
        edited_text: str | None = None,
    ) -> ReviewerAction:
        return ReviewerAction(
            action=action,
            platform="telegram",
            reviewer_id=str(user.id),
            reviewer_name=user.full_name or str(user.id),
            draft_id=choice.draft_id if choice is not None else None,
            card=card,
            edited_text=edited_text,
            intent=choice.intent if choice is not None else None,
            confirmed=choice.confirmed if choice is not None else False,
        )

    async def _show_menu(self, ref: CardRef, draft_id: int, *, which: str) -> None:
        card = await self._desk.card_for_draft(draft_id)
        if card is None or card.decided:
            return
        keyboard: InlineKeyboardMarkup | None
        if which == "menu":
            keyboard = intent_keyboard(card)
        elif which == "confirm":
            keyboard = confirm_keyboard(card)
        else:
            keyboard = render_card(card, self._zone)[1]
        await quietly(
            self._bot.edit_message_reply_markup(
                chat_id=int(ref.chat_id), message_id=int(ref.message_id), reply_markup=keyboard
            )
        )

    async def _prompt_edit(self, ref: CardRef, draft_id: int) -> None:
        card = await self._desk.card_for_draft(draft_id)
        reply_to = ReplyParameters(int(ref.message_id), allow_sending_without_reply=True)
        if card is None or card.decided:
            await quietly(
                self._bot.send_message(
                    int(ref.chat_id), t("telegram.card_gone"), reply_parameters=reply_to
                )
            )
            return
        if card.draft_id != draft_id:
            # ✏️ on a version the card no longer shows: nothing to edit from.
            await self._tell_on_card(ref, Notice(NoticeKind.DRAFT_CHANGED))
            return
        prompt = await quietly(
            self._bot.send_message(
                int(ref.chat_id),
                t("telegram.edit_prompt", name=card.customer_name),
                reply_parameters=reply_to,
                # selective: the reply field opens only for the reviewer who asked.
                reply_markup=ForceReply(
                    selective=True, input_field_placeholder=t("telegram.edit_placeholder")
                ),
            )
        )
        if isinstance(prompt, Message):
            prompt_ref = CardRef("telegram", str(prompt.chat.id), str(prompt.message_id))
            await self._desk.add_edit_prompt(card.card_id, prompt_ref, shown_draft_id=draft_id)

    # --- messages and reactions in the agents group -----------------------------------------

    async def on_review_chat_message(
        self, message: Message, *, update_id: int, bot_username: str | None
    ) -> None:
        user = message.from_user
        if user is None or user.is_bot:
            return
        command = command_of(message, bot_username=bot_username)
        if command is not None:
            text = say("telegram.reviewer_help", language_code=user.language_code, user_id=user.id)
            await quietly(message.reply_text(text))
            return
        target = message.reply_to_message
        if target is None or message.text is None:
            return  # the team talking among themselves
        prompt = CardRef("telegram", str(message.chat.id), str(target.message_id))
        if await self._desk.card_at(prompt, kind="edit_prompt") is None:
            if await self._desk.card_at(prompt) is not None and self._is_reviewer(user.id):
                # A reply to the card itself is conversation, not an edit: say how to edit.
                await quietly(message.reply_text(t("telegram.edit_how")))
            return
        if not self._is_reviewer(user.id):
            await quietly(message.reply_text(t("telegram.not_reviewer")))
            return
        edit = ReviewerAction(
            action=ReviewAction.EDIT,
            platform="telegram",
            reviewer_id=str(user.id),
            reviewer_name=user.full_name or str(user.id),
            card=prompt,
            edited_text=message.text,
        )
        await self._store_then_apply(edit, update_id=update_id, answer_in=message)

    async def on_reaction(self, reaction: MessageReactionUpdated, *, update_id: int) -> None:
        user = reaction.user
        action = reaction_action(reaction)
        if user is None or action is None or reaction.chat.id != self._review_chat:
            return
        if not self._is_reviewer(user.id):
            await self._tell(user.id, Notice(NoticeKind.NOT_REVIEWER), in_group=None)
            return
        await self._store_then_apply(
            self._action(action, user, card=self._ref(reaction)), update_id=update_id
        )

    @staticmethod
    def _ref(reaction: MessageReactionUpdated) -> CardRef:
        return CardRef("telegram", str(reaction.chat.id), str(reaction.message_id))

    async def _tell(self, user_id: int, notice: Notice, *, in_group: Message | None) -> None:
        """A notice for one person: a reply in the agents group, or a private message
        (Telegram has no ephemeral messages in groups; a private message fails quietly when the
        person never opened a chat with the bot)."""
        text = notice_text(notice, self._zone)
        if in_group is not None:
            await quietly(in_group.reply_text(text))
        else:
            await quietly(self._bot.send_message(user_id, text))
