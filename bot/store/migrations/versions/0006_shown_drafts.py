"""Decisions bound to what the reviewer saw: which draft each posted card message shows, and a
new card (not the decided one reopened) when a customer edits an answered message.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-09 00:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("card_posts") as batch:
        batch.add_column(sa.Column("shown_draft_id", sa.Integer(), nullable=True))
    # Posted before this revision: they show what their card shows now (the best guess; a
    # message whose update failed is refused later, when the card moves on again).
    op.execute(
        "UPDATE card_posts SET shown_draft_id = (SELECT review_cards.draft_id "
        "FROM review_cards WHERE review_cards.id = card_posts.card_id)"
    )
    with op.batch_alter_table("review_cards") as batch:
        batch.drop_constraint("uq_review_cards_message_id", type_="unique")
        batch.create_index("ix_review_cards_message_id", ["message_id"], unique=False)


def downgrade() -> None:
    # A message with several cards keeps its newest one (the one the desk shows).
    op.execute(
        "DELETE FROM card_posts WHERE card_id IN (SELECT id FROM review_cards AS old WHERE "
        "EXISTS (SELECT 1 FROM review_cards AS newer WHERE newer.message_id = old.message_id "
        "AND newer.id > old.id))"
    )
    op.execute(
        "DELETE FROM review_cards WHERE EXISTS (SELECT 1 FROM review_cards AS newer WHERE "
        "newer.message_id = review_cards.message_id AND newer.id > review_cards.id)"
    )
    with op.batch_alter_table("review_cards") as batch:
        batch.drop_index("ix_review_cards_message_id")
        batch.create_unique_constraint("uq_review_cards_message_id", ["message_id"])
    with op.batch_alter_table("card_posts") as batch:
        batch.drop_column("shown_draft_id")
