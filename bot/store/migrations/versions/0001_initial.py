"""Initial schema: customers, conversations, messages, analyses, drafts, decisions, events.

Revision ID: 0001
Revises:
Create Date: 2024-11-28 00:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the values the CHECK constraints allow: a revision must not change when
# bot.domain does later (a new status needs a new revision).
_DRAFT_STATUSES = "'pending', 'sent', 'edited', 'discarded', 'superseded', 'expired'"
_REVIEW_ACTIONS = "'send', 'edit', 'variant', 'discard', 'fix_intent'"


def _timestamp(name: str, *, nullable: bool = False) -> sa.Column[datetime]:
    """A timezone-aware timestamp column (the models store UTC in it)."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "customers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("platform", sa.String(), nullable=False),
        sa.Column("platform_user_id", sa.String(), nullable=False),
        sa.Column("display_name", sa.String(), nullable=True),
        sa.Column("language", sa.String(), nullable=True),
        sa.Column("opted_out", sa.Boolean(), nullable=False),
        _timestamp("opted_out_at", nullable=True),
        _timestamp("last_offer_at", nullable=True),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customers")),
        sa.UniqueConstraint(
            "platform", "platform_user_id", name=op.f("uq_customers_platform_platform_user_id")
        ),
    )
    op.create_table(
        "processed_events",
        sa.Column("platform", sa.String(), nullable=False),
        sa.Column("event_id", sa.String(), nullable=False),
        _timestamp("processed_at"),
        sa.PrimaryKeyConstraint("platform", "event_id", name=op.f("pk_processed_events")),
    )
    op.create_table(
        "conversations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(), nullable=False),
        sa.Column("platform_conversation_id", sa.String(), nullable=False),
        sa.Column("thread_id", sa.String(), nullable=False),
        _timestamp("created_at"),
        _timestamp("last_message_at"),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_conversations_customer_id_customers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversations")),
        sa.UniqueConstraint(
            "platform",
            "platform_conversation_id",
            "thread_id",
            name=op.f("uq_conversations_platform_platform_conversation_id_thread_id"),
        ),
    )
    op.create_index(
        op.f("ix_conversations_customer_id"), "conversations", ["customer_id"], unique=False
    )
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("platform_message_id", sa.String(), nullable=True),
        sa.Column("attachment_kind", sa.String(), nullable=True),
        _timestamp("received_at"),
        _timestamp("edited_at", nullable=True),
        sa.CheckConstraint(
            "direction IN ('inbound', 'outbound')", name=op.f("ck_messages_direction")
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_messages_conversation_id_conversations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
        sa.UniqueConstraint(
            "conversation_id",
            "direction",
            "platform_message_id",
            name=op.f("uq_messages_conversation_id_direction_platform_message_id"),
        ),
    )
    op.create_index(
        "ix_messages_conversation_received",
        "messages",
        ["conversation_id", "received_at"],
        unique=False,
    )
    op.create_table(
        "analyses",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(), nullable=False),
        sa.Column("intent", sa.String(), nullable=False),
        sa.Column("intent_confidence", sa.Float(), nullable=False),
        sa.Column("sentiment", sa.String(), nullable=False),
        sa.Column("sentiment_confidence", sa.Float(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        _timestamp("created_at"),
        sa.ForeignKeyConstraint(
            ["message_id"], ["messages.id"], name=op.f("fk_analyses_message_id_messages")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analyses")),
        sa.UniqueConstraint("message_id", name=op.f("uq_analyses_message_id")),
    )
    op.create_table(
        "drafts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("template", sa.String(), nullable=False),
        sa.Column("promotional", sa.Boolean(), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.Column("language", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _timestamp("created_at"),
        _timestamp("decided_at", nullable=True),
        sa.Column("final_text", sa.Text(), nullable=True),
        sa.CheckConstraint(f"status IN ({_DRAFT_STATUSES})", name=op.f("ck_drafts_status")),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_drafts_conversation_id_conversations"),
        ),
        sa.ForeignKeyConstraint(
            ["message_id"], ["messages.id"], name=op.f("fk_drafts_message_id_messages")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drafts")),
    )
    op.create_index(
        "ix_drafts_conversation_status", "drafts", ["conversation_id", "status"], unique=False
    )
    op.create_index("ix_drafts_message_status", "drafts", ["message_id", "status"], unique=False)
    op.create_index("ix_drafts_status_created", "drafts", ["status", "created_at"], unique=False)
    op.create_table(
        "intent_corrections",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("predicted", sa.String(), nullable=False),
        sa.Column("corrected", sa.String(), nullable=False),
        sa.Column("reviewer", sa.String(), nullable=False),
        _timestamp("created_at"),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["messages.id"],
            name=op.f("fk_intent_corrections_message_id_messages"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intent_corrections")),
    )
    op.create_index(
        op.f("ix_intent_corrections_message_id"),
        "intent_corrections",
        ["message_id"],
        unique=False,
    )
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("reviewer", sa.String(), nullable=False),
        sa.Column("edited_text", sa.Text(), nullable=True),
        sa.Column("intent_correction", sa.String(), nullable=True),
        _timestamp("decided_at"),
        sa.CheckConstraint(f"action IN ({_REVIEW_ACTIONS})", name=op.f("ck_decisions_action")),
        sa.ForeignKeyConstraint(
            ["draft_id"], ["drafts.id"], name=op.f("fk_decisions_draft_id_drafts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
    )
    op.create_index(op.f("ix_decisions_draft_id"), "decisions", ["draft_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_decisions_draft_id"), table_name="decisions")
    op.drop_table("decisions")
    op.drop_index(op.f("ix_intent_corrections_message_id"), table_name="intent_corrections")
    op.drop_table("intent_corrections")
    op.drop_index("ix_drafts_status_created", table_name="drafts")
    op.drop_index("ix_drafts_message_status", table_name="drafts")
    op.drop_index("ix_drafts_conversation_status", table_name="drafts")
    op.drop_table("drafts")
    op.drop_table("analyses")
    op.drop_index("ix_messages_conversation_received", table_name="messages")
    op.drop_table("messages")
    op.drop_index(op.f("ix_conversations_customer_id"), table_name="conversations")
    op.drop_table("conversations")
    op.drop_table("processed_events")
    op.drop_table("customers")
