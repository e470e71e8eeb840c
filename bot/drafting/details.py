"""The customer's details as a reply writes them back: amounts, phones, times, what they bought.

The analyser keeps a normal form of each detail (``49.99 CAD``, ``+14185550192``); a reply
writes them the way people read them in its language (``49,99 $``, ``$49.99``) or exactly as the
customer wrote them (``418 555-0192``, ``après 17h``).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from types import SimpleNamespace

from bot.config import Product
from bot.domain import Entity
from bot.nlp.items import item_forms

__all__ = ["as_written", "item_detail", "money_text", "product_detail"]

_SYMBOLS = {"EUR": "€", "GBP": "£"}


def as_written(entity: Entity | None) -> str | None:
    """The detail as the customer typed it, spaces tidied ("418 555-0192", "après 17h")."""
    if entity is None:
        return None
    return " ".join(entity.text.split()) or None


def money_text(value: str | None, *, language: str, currency: str) -> str | None:
    """``"49.99 CAD"`` as a reader of ``language`` writes it: "49,99 $" (fr), "$49.99" (en).

    The brand's own dollar is just "$"; another one says whose it is ("49,99 $ US", "US$49.99").
    Whole amounts drop their cents ("50 $", "$50").
    """
    if not value:
        return None
    number, _, code = value.partition(" ")
    try:
        amount = Decimal(number)
    except InvalidOperation:
        return value
    whole = amount == amount.to_integral_value()
    digits = f"{amount:,.0f}" if whole else f"{amount:,.2f}"
    if code.endswith("D") and len(code) == 3:  # a dollar: CAD, USD, AUD…
        country = "" if code == currency else code[:2]
        if language == "fr":
            digits = digits.replace(",", " ").replace(".", ",")
            return f"{digits} $ {country}".rstrip()
        return f"{country}${digits}"
    symbol = _SYMBOLS.get(code, code)
    if language == "fr":
        digits = digits.replace(",", " ").replace(".", ",")
        return f"{digits} {symbol}"
    return f"{symbol}{digits}" if len(symbol) == 1 else f"{digits} {symbol}"


def product_detail(product: Product, *, language: str, price: str | None) -> SimpleNamespace:
    """A catalogue product for a template: its name, page, price and how to write it."""
    the = f"l'article {product.name}" if language == "fr" else product.name
    of = f"de l'article {product.name}" if language == "fr" else f"of {product.name}"
    return SimpleNamespace(
        name=product.name, url=product.url, price=price, the=the, of=of, in_catalogue=True
    )


def item_detail(entity: Entity, *, language: str) -> SimpleNamespace:
    """Something the customer named that is not in the catalogue ("ma bouilloire")."""
    written = " ".join(entity.text.split())
    if written.isupper() or (" " not in written and written[1:].islower()):
        written = written.lower()  # "KETTLE" shouted, "Kettle" at the start of a sentence
    forms = item_forms(written, entity.value or written, language=language)
    return SimpleNamespace(
        name=written, url=None, price=None, the=forms.the, of=forms.of, in_catalogue=False
    )
