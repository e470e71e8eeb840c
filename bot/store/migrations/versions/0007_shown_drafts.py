"""Decisions bound to what the reviewer saw: which draft each posted card message shows, and a
new card (not the decided one reopened) when a customer edits an answered message.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 00:00:00+00:00

SQLite cannot drop a constraint: the table is rebuilt, and a parent table cannot be dropped while
rows of another table point at it (the store runs with foreign keys on, and migrates inside a
transaction, where they cannot be turned off). So on SQLite ``card_posts`` is kept aside in a
plain copy while ``review_cards`` is rebuilt, then recreated and filled again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COPY = "card_posts_0006"
_KEPT = "id, card_id, desk, chat_id, platform_message_id, kind, created_at"


def _timestamp(name: str) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def _create_card_posts(*, shown: bool) -> None:
    """``card_posts`` as revision 0005 left it, with ``shown_draft_id`` when ``shown``."""
    extra = [sa.Column("shown_draft_id", sa.Integer(), nullable=True)] if shown else []
    op.create_table(
        "card_posts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("card_id", sa.Integer(), nullable=False),
        sa.Column("desk", sa.String(), nullable=False),
        sa.Column("chat_id", sa.String(), nullable=False),
        sa.Column("platform_message_id", sa.String(), nullable=False),
        _timestamp("created_at"),
        sa.Column("kind", sa.String(), nullable=False, server_default="card"),
        *extra,
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


def _set_card_posts_aside() -> None:
    op.execute(f"CREATE TABLE {_COPY} AS SELECT {_KEPT} FROM card_posts")
    op.drop_index(op.f("ix_card_posts_card_id"), table_name="card_posts")
    op.drop_table("card_posts")


def _card_posts_back(*, shown: bool) -> None:
    _create_card_posts(shown=shown)
    op.execute(f"INSERT INTO card_posts ({_KEPT}) SELECT {_KEPT} FROM {_COPY}")
    op.drop_table(_COPY)


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _set_card_posts_aside()
    with op.batch_alter_table("review_cards") as batch:
        batch.drop_constraint("uq_review_cards_message_id", type_="unique")
        batch.create_index("ix_review_cards_message_id", ["message_id"], unique=False)
    if sqlite:
        _card_posts_back(shown=True)
    else:
        op.add_column("card_posts", sa.Column("shown_draft_id", sa.Integer(), nullable=True))
    # Posted before this revision: they show what their card shows now (the best guess; a
    # message whose update failed is refused later, when the card moves on again).
    op.execute(
        "UPDATE card_posts SET shown_draft_id = (SELECT review_cards.draft_id "
        "FROM review_cards WHERE review_cards.id = card_posts.card_id)"
    )


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    # A message with several cards keeps its newest one (the one the desk shows).
    older = (
        "SELECT old.id FROM review_cards AS old WHERE EXISTS (SELECT 1 FROM review_cards AS "
        "newer WHERE newer.message_id = old.message_id AND newer.id > old.id)"
    )
    op.execute(f"DELETE FROM card_posts WHERE card_id IN ({older})")
    op.execute(f"DELETE FROM review_cards WHERE id IN ({older})")
    if sqlite:
        _set_card_posts_aside()
    else:
        op.drop_column("card_posts", "shown_draft_id")
    with op.batch_alter_table("review_cards") as batch:
        batch.drop_index("ix_review_cards_message_id")
        batch.create_unique_constraint("uq_review_cards_message_id", ["message_id"])
    if sqlite:
        _card_posts_back(shown=False)
