"""The work queue (customer messages and reviewer actions stored before the platform is told
"received", done by any process, once), the leases of roles one process holds at a time, the
sender that holds an outbox row, and edit prompts as card posts.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 00:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of bot.store.models.WORK_STATUSES and WORK_LANES: a new value needs a revision.
_WORK_STATUSES = "'pending', 'claimed', 'done', 'failed'"
_WORK_LANES = "'inbound', 'action'"


def _timestamp(name: str, *, nullable: bool = False) -> sa.Column[datetime]:
    """A timezone-aware timestamp column (the models store UTC in it)."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "work_items",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("lane", sa.String(), nullable=False),
        sa.Column("platform", sa.String(), nullable=False),
        sa.Column("event_id", sa.String(), nullable=True),
        sa.Column("conversation_key", sa.String(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _timestamp("not_before"),
        _timestamp("lease_until", nullable=True),
        sa.Column("claimed_by", sa.String(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        _timestamp("created_at"),
        _timestamp("finished_at", nullable=True),
        sa.CheckConstraint(f"status IN ({_WORK_STATUSES})", name=op.f("ck_work_items_status")),
        sa.CheckConstraint(f"lane IN ({_WORK_LANES})", name=op.f("ck_work_items_lane")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_items")),
    )
    op.create_index(
        "ix_work_items_lane_status_not_before",
        "work_items",
        ["lane", "status", "not_before"],
        unique=False,
    )
    op.create_index(
        "ix_work_items_conversation", "work_items", ["conversation_key", "id"], unique=False
    )
    op.create_table(
        "leases",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("holder", sa.String(), nullable=False),
        _timestamp("until"),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_leases")),
    )
    with op.batch_alter_table("outbox") as outbox:
        outbox.add_column(sa.Column("claimed_by", sa.String(), nullable=True))
    with op.batch_alter_table("card_posts") as posts:
        posts.add_column(sa.Column("kind", sa.String(), nullable=False, server_default="card"))


def downgrade() -> None:
    with op.batch_alter_table("card_posts") as posts:
        posts.drop_column("kind")
    with op.batch_alter_table("outbox") as outbox:
        outbox.drop_column("claimed_by")
    op.drop_table("leases")
    op.drop_index("ix_work_items_conversation", table_name="work_items")
    op.drop_index("ix_work_items_lane_status_not_before", table_name="work_items")
    op.drop_table("work_items")
