"""Logs without the customer's contact details: e-mails, phone numbers and order numbers masked.

Customer text is never logged on purpose, but it can still reach a log by accident: in an
exception's message (a platform's error quoting the text, a driver's error naming a key), in a
third-party library's debug line. ``MaskingFilter`` rewrites every record a handler emits — the
message, its arguments, the formatted traceback — replacing what looks like an e-mail address, a
phone number or an order number with a marker (``[email]``, ``[phone]``, ``[order]``). It errs
on the side of masking: any run of seven digits or more reads as a phone number.

``install()`` puts the filter on every handler of the root logger (``replique run`` calls it once
logging is configured); a filter on a handler sees records from every logger, where a filter on a
logger would miss its children's.
"""

from __future__ import annotations

import logging
import re
from typing import Final

__all__ = ["MaskingFilter", "install", "mask"]

_EMAIL: Final = re.compile(
    r"(?<![\w.%+-])[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}(?![\w-])"
)
# "order 4821", "order number: AB-12345", "commande n° 4821", "cmd #4821", "#4821".
_ORDER: Final = re.compile(
    r"(?i)(?P<lead>(?:\b(?:order|commande|cmd|cde)\b\s*"
    r"(?:(?:number|num(?:[ée]ro)?|no|nr|n°|nº|id|ref)\.?\s*)?(?:is\s+|est\s+)?[:#]?\s*)|#\s?)"
    r"(?P<id>(?:[a-z]{1,4}-?)?\d{2,22}(?:-\d{1,10})?)\b"
)
# Seven digits or more, with the separators people write between them ("+1 (514) 555-0199",
# "06 12 34 56 78", "5145550199"); not an ISO date ("2026-12-07 15:04").
_PHONE: Final = re.compile(
    r"(?<![\w-])(?!\d{4}-\d\d-\d\d)\+?\(?\d(?:[\s.\-/()]{0,2}\d){6,}(?![\w])"
)


def mask(text: str) -> str:
    """``text`` with e-mail addresses, order numbers and phone numbers replaced by markers."""
    text = _EMAIL.sub("[email]", text)
    text = _ORDER.sub(lambda m: f"{m.group('lead')}[order]", text)
    return _PHONE.sub("[phone]", text)


class MaskingFilter(logging.Filter):
    """Masks contact details in every record it sees; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: let the handler report it as usual
            return True
        record.msg = mask(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            # Formatted once here, masked, and cached where Formatter.format looks first.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True


def install(logger: logging.Logger | None = None) -> MaskingFilter:
    """Put one ``MaskingFilter`` on every handler of ``logger`` (the root one by default)."""
    target = logger or logging.getLogger()
    for handler in target.handlers:
        for existing in handler.filters:
            if isinstance(existing, MaskingFilter):
                break
        else:
            handler.addFilter(_FILTER)
    return _FILTER


_FILTER: Final = MaskingFilter()
