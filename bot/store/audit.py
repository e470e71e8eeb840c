"""The audit log: who did what to which card, when, from where — and what was refused.

Every reviewer action is recorded, applied or refused, and so is every attempt by someone who
is not a reviewer (until now those were only counted on ``/metrics``). Privacy operations
(``replique forget``, the retention sweep) leave an entry too. An entry never holds customer
text: an edit's words stay on the decision, which ``replique forget`` erases with the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.base import StoreBase
from bot.store.models import AuditRow, utcnow
from bot.store.queries import aware

__all__ = ["AUDIT_OUTCOMES", "AuditEntry", "AuditStore", "record_audit_in"]

#: What became of the attempt: done, refused by the desk, or refused because the person is not
#: a reviewer.
AUDIT_OUTCOMES: Final = ("applied", "refused", "not_reviewer")
#: Longest actor, platform, action or reason kept (they come from platform payloads).
_MAX_FIELD: Final = 200


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the audit log."""

    id: int
    at: datetime
    actor: str
    platform: str
    action: str
    outcome: str
    reason: str | None
    card_id: int | None

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "platform": self.platform,
            "action": self.action,
            "outcome": self.outcome,
            "reason": self.reason,
            "card_id": self.card_id,
        }


def _cut(value: str) -> str:
    return value[:_MAX_FIELD]


def record_audit_in(
    session: Session,
    *,
    actor: str,
    platform: str,
    action: str,
    outcome: str,
    reason: str | None = None,
    card_id: int | None = None,
    at: datetime | None = None,
) -> None:
    """Add one entry in ``session``'s transaction."""
    if outcome not in AUDIT_OUTCOMES:
        raise ValueError(f"outcome must be one of {AUDIT_OUTCOMES}, not {outcome!r}")
    session.add(
        AuditRow(
            at=aware(at, "at") or utcnow(),
            actor=_cut(actor),
            platform=_cut(platform),
            action=_cut(action),
            outcome=outcome,
            reason=None if reason is None else _cut(reason),
            card_id=card_id,
        )
    )


class AuditStore(StoreBase):
    """Writing and reading the audit log."""

    def record_audit(
        self,
        *,
        actor: str,
        platform: str,
        action: str,
        outcome: str,
        reason: str | None = None,
        card_id: int | None = None,
        at: datetime | None = None,
    ) -> None:
        """Record one reviewer action or refused attempt (never with customer text)."""

        def work(session: Session) -> None:
            record_audit_in(
                session,
                actor=actor,
                platform=platform,
                action=action,
                outcome=outcome,
                reason=reason,
                card_id=card_id,
                at=at,
            )

        self._write(work)

    def audit_entries(
        self,
        *,
        limit: int | None = 100,
        since: datetime | None = None,
        actor: str | None = None,
    ) -> list[AuditEntry]:
        """The latest entries first; ``limit=None`` for all of them."""

        def work(session: Session) -> list[AuditEntry]:
            query = select(AuditRow).order_by(AuditRow.at.desc(), AuditRow.id.desc())
            if since is not None:
                query = query.where(AuditRow.at >= aware(since, "since"))
            if actor is not None:
                query = query.where(AuditRow.actor == actor)
            if limit is not None:
                query = query.limit(limit)
            return [
                AuditEntry(
                    id=row.id,
                    at=row.at,
                    actor=row.actor,
                    platform=row.platform,
                    action=row.action,
                    outcome=row.outcome,
                    reason=row.reason,
                    card_id=row.card_id,
                )
                for row in session.execute(query).scalars()
            ]

        return self._read(work)
