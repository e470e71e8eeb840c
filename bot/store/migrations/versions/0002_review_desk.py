"""Review desk: cards and where they were posted, the outbox of approved replies, and the offer
policy that held an offer back from a draft.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 00:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copy of bot.store.models.OUTBOX_STATUSES: a new status needs a new revision.
_OUTBOX_STATUSES = "'pending', 'sending', 'delivered', 'failed'"


def _timestamp(name: str, *, nullable: bool = False) -> sa.Column[datetime]:
    """A timezone-aware timestamp column (the models store UTC in it)."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.add_column("drafts", sa.Column("offer_blocked", sa.String(), nullable=True))
    op.create_table(
        "review_cards",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.ForeignKeyConstraint(
            ["message_id"], ["messages.id"], name=op.f("fk_review_cards_message_id_messages")
        ),
        sa.ForeignKeyConstraint(
            ["draft_id"], ["drafts.id"], name=op.f("fk_review_cards_draft_id_drafts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_cards")),
        sa.UniqueConstraint("message_id", name=op.f("uq_review_cards_message_id")),
    )
    op.create_table(
        "card_posts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("card_id", sa.Integer(), nullable=False),
        sa.Column("desk", sa.String(), nullable=False),
        sa.Column("chat_id", sa.String(), nullable=False),
        sa.Column("platform_message_id", sa.String(), nullable=False),
        _timestamp("created_at"),
        sa.ForeignKeyConstraint(
            ["card_id"], ["review_cards.id"], name=op.f("fk_card_posts_card_id_review_cards")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_card_posts")),
        sa.UniqueConstraint(
            "desk",
            "chat_id",
            "platform_message_id",
            name=op.f("uq_card_posts_desk_chat_id_platform_message_id"),
        ),
    )
    op.create_index(op.f("ix_card_posts_card_id"), "card_posts", ["card_id"], unique=False)
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reply_to_message_id", sa.String(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _timestamp("next_attempt_at"),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("platform_message_id", sa.String(), nullable=True),
        _timestamp("created_at"),
        _timestamp("delivered_at", nullable=True),
        sa.CheckConstraint(f"status IN ({_OUTBOX_STATUSES})", name=op.f("ck_outbox_status")),
        sa.ForeignKeyConstraint(
            ["draft_id"], ["drafts.id"], name=op.f("fk_outbox_draft_id_drafts")
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_outbox_conversation_id_conversations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("draft_id", name=op.f("uq_outbox_draft_id")),
    )
    op.create_index(
        "ix_outbox_status_next_attempt", "outbox", ["status", "next_attempt_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_status_next_attempt", table_name="outbox")
    op.drop_table("outbox")
    op.drop_index(op.f("ix_card_posts_card_id"), table_name="card_posts")
    op.drop_table("card_posts")
    op.drop_table("review_cards")
    with op.batch_alter_table("drafts") as drafts:
        drafts.drop_column("offer_blocked")
