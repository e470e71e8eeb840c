"""The ``csv`` provider: a file of orders, for a small shop and the playground's demo brand.

Header: ``number,status,carrier,tracking_number,tracking_url,eta,items,email,first_name,
orders_count``; ``items`` is ``name x quantity`` separated by ``;`` ("Moulin Manuel Taïga x 1;
Mélange Boréal x 2"). Rows that come later win over earlier rows of the same order; the file is
read again when it changes.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.domain import Order
from bot.orders.base import ProviderFailure, order_from_fields, same_email, status_of

__all__ = ["CsvProvider", "read_orders"]

_ITEM = re.compile(r"^(?P<name>.+?)\s*[x×]\s*(?P<quantity>\d+)$")


def _items(cell: str) -> list[dict[str, str]]:
    items = []
    for part in (p.strip() for p in cell.split(";")):
        if part:
            match = _ITEM.match(part)
            quantity = match.group("quantity") if match else "1"
            items.append({"name": match.group("name") if match else part, "quantity": quantity})
    return items


def read_orders(path: Path, zone: ZoneInfo) -> list[Order]:
    """Every order of the file, in file order; ProviderFailure naming the first bad row."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ProviderFailure(f"cannot read {path}: {type(exc).__name__}") from None
    orders = []
    for line, row in enumerate(rows, start=2):
        try:
            fields = {**row, "items": _items(row.get("items") or "")}
            customer = {
                "email": row.get("email"),
                "first_name": row.get("first_name"),
                "orders_count": row.get("orders_count") or None,
            }
            orders.append(order_from_fields(
                fields, status=status_of(row.get("status")), zone=zone, customer=customer
            ))  # fmt: skip
        except ProviderFailure as exc:
            raise ProviderFailure(f"{path.name} line {line}: {exc.reason}") from None
    return orders


class CsvProvider:
    """Orders from a CSV file (re-read when it changes)."""

    name = "csv"

    def __init__(self, *, path: Path, zone: ZoneInfo) -> None:
        self._path = path
        self._zone = zone
        self._stamp: tuple[float, int] | None = None
        self._orders: list[Order] = []

    def _load(self) -> list[Order]:
        try:
            stat = self._path.stat()
        except OSError:
            raise ProviderFailure(f"no file {self._path}") from None
        stamp = (stat.st_mtime, stat.st_size)
        if stamp != self._stamp:
            self._orders = read_orders(self._path, self._zone)
            self._stamp = stamp
        return self._orders

    def by_number(self, number: str) -> Order | None:
        wanted = number.lstrip("#")
        return next((o for o in reversed(self._load()) if o.number == wanted), None)

    def by_email(self, email: str) -> list[Order]:
        # Most recent first: the last rows of the file are the latest orders.
        return [o for o in reversed(self._load()) if same_email(o.email, email)]

    def probe(self) -> None:
        self._load()

    def close(self) -> None:
        return None
