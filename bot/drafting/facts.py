"""Order facts and the customer's history as template variables.

A template reads ``order`` (None unless an order may be described), ``order_mismatch`` (an order
was found by number but the customer must first confirm its e-mail), ``order_not_found``,
``open_complaint`` (``days`` since a recent complaint) and ``vip``. Dates stay values
(``order.eta.weekday``, ``.day``, ``.month``): the templates' macros word them in the reply's
language, as they do for the dates customers write.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

from bot.domain import Facts, History, Order

__all__ = ["FACT_NAMES", "OrderView", "fact_context", "order_view"]

#: The order facts a draft can state, in the order the "why" names them.
FACT_NAMES = ("status", "carrier", "tracking_number", "tracking_url", "eta", "items")


class OrderView:
    """The order as templates read it, noting which facts a rendering read: the "why" names
    the facts a draft states, whether its text or one of its macros read them. Absent facts are
    None (an empty list for items); a name that is not a fact is an error (StrictUndefined)."""

    __slots__ = ("_values", "read")

    def __init__(self, values: dict[str, Any]) -> None:
        self._values = values
        self.read: set[str] = set()

    def __getattr__(self, name: str) -> Any:
        try:
            value = self._values[name]
        except KeyError:
            raise AttributeError(name) from None
        self.read.add(name)
        return value

    def fresh(self) -> OrderView:
        """The same order, with nothing read yet (one per rendering)."""
        return OrderView(self._values)

    def used(self) -> tuple[str, ...]:
        """The facts read and known, in ``FACT_NAMES`` order."""
        return tuple(n for n in FACT_NAMES if n in self.read and self._values.get(n))


def order_view(order: Order) -> OrderView:
    """The order as templates read it."""
    eta = None
    if order.eta:
        day = date.fromisoformat(order.eta)
        eta = SimpleNamespace(
            iso=order.eta, year=day.year, month=day.month, day=day.day, weekday=day.weekday()
        )
    return OrderView(
        {
            "number": order.number,
            "status": order.status,
            "carrier": order.carrier,
            "tracking_number": order.tracking_number,
            "tracking_url": order.tracking_url,
            "eta": eta,
            "items": [SimpleNamespace(name=i.name, quantity=i.quantity) for i in order.items],
        }
    )


def fact_context(facts: Facts | None, history: History | None) -> dict[str, Any]:
    """The template variables of the facts and history of one message (all keys always set)."""
    problem = facts.problem if facts else None
    complaint = history.open_complaint_days if history else None
    return {
        "order": order_view(facts.order) if facts and facts.order else None,
        "order_mismatch": problem in ("email_mismatch", "email_needed"),
        "order_not_found": problem == "not_found",
        "open_complaint": SimpleNamespace(days=complaint) if complaint is not None else None,
        "vip": history.vip if history else None,
    }
