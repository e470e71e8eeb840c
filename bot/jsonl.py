"""``replique draft --json``: JSON Lines in, one JSON object per input line out, in order.

Input lines are read in batches of whatever is already available (up to ``MAX_BATCH``), so a file
or a fast pipe is analysed in bulk while an interactive producer that waits for each answer still
gets it at once. A line that is not a JSON object with a text gets ``{"error": …}`` and the rest
are still answered.
"""

from __future__ import annotations

import json
import logging
import os
import select
from collections.abc import Iterator
from typing import IO, Any, cast

from bot.domain import Facts, Platform
from bot.drafting.session import Drafted, DraftRequest, DraftSession
from bot.i18n import t
from bot.web import safe_json
from bot.wording import why_line

__all__ = [
    "MAX_BATCH",
    "drafted_to_json",
    "facts_to_json",
    "parse_line",
    "read_batches",
    "run_jsonl",
]

MAX_BATCH = 256
#: Limits of one input line: a 10,000-character message fits many times over.
MAX_LINE_BYTES = 1 << 20
MAX_LINE_DEPTH = 64
logger = logging.getLogger(__name__)
_CHANNELS: tuple[Platform, ...] = ("telegram", "slack", "web", "cli")


class LineError:
    """Why one input line got ``{"error": …}`` instead of an answer."""

    __slots__ = ("message",)

    def __init__(self, key: str, /, **values: object) -> None:
        self.message = t(key, **values)


def parse_line(line: str) -> DraftRequest | LineError:
    """One input line as a request, or the reason it cannot be one."""
    # Size and nesting first: a line of 100,000 brackets is an error line, not a RecursionError.
    if len(line) > MAX_LINE_BYTES or safe_json.nesting(line) > MAX_LINE_DEPTH:
        return LineError("jsonl.too_big", depth=MAX_LINE_DEPTH, size=MAX_LINE_BYTES)
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        return LineError("jsonl.bad_json", error=exc.msg, column=exc.colno)
    except ValueError as exc:  # an integer longer than Python converts
        return LineError("jsonl.bad_json", error=str(exc), column=1)
    if not isinstance(data, dict):
        return LineError("jsonl.not_object")
    text = data.get("text")
    if not isinstance(text, str):
        return LineError("jsonl.no_text")
    customer = data.get("customer") or {}
    if not isinstance(customer, dict):
        return LineError("jsonl.bad_customer")
    channel = data.get("channel", "cli")
    if channel not in _CHANNELS:
        return LineError("jsonl.bad_channel", choices=", ".join(_CHANNELS))
    customer_id, name = customer.get("id"), customer.get("name")
    language = data.get("lang")
    return DraftRequest(
        text=text,
        customer_id=str(customer_id) if customer_id is not None else None,
        customer_name=str(name) if name is not None else None,
        channel=cast(Platform, channel),
        language_hint=language if isinstance(language, str) else None,
    )


def facts_to_json(facts: Facts) -> dict[str, Any]:
    """``{"source", "found", "ms", "order"}``, or ``"problem"`` when no order may be described
    (docs/orders.md)."""
    out: dict[str, Any] = {"source": facts.source, "found": facts.found, "ms": facts.ms}
    if facts.order is not None:
        order = facts.order
        out["order"] = {
            "number": order.number,
            "status": order.status,
            "carrier": order.carrier,
            "tracking_number": order.tracking_number,
            "tracking_url": order.tracking_url,
            "eta": order.eta,
            "items": [{"name": i.name, "quantity": i.quantity} for i in order.items],
        }
    if facts.problem is not None:
        out["problem"] = facts.problem
    return out


def drafted_to_json(drafted: Drafted) -> dict[str, Any]:
    """The output object of `replique draft --json` for one message (docs/cli.md)."""
    analysis = drafted.analysis
    answer = {
        "language": analysis.language,
        "intent": {"name": analysis.intent.name, "confidence": analysis.intent.confidence},
        "sentiment": analysis.sentiment,
        "entities": [{"label": e.label, "text": e.text} for e in analysis.entities],
        "drafts": [
            {
                "text": d.text,
                "template": d.template,
                "promotional": d.promotional,
                "why": why_line(d.why),
            }
            for d in drafted.result.drafts
        ],
    }
    if drafted.facts is not None:
        answer["facts"] = facts_to_json(drafted.facts)
    return answer


def read_batches(stream: IO[str]) -> Iterator[list[str]]:
    """Lines of ``stream`` in batches of what is available now, without waiting for more."""
    try:
        fd = stream.fileno()
    except (OSError, ValueError):
        fd = -1
    if fd < 0:
        yield from _plain_batches(stream)
    else:
        # Read the descriptor directly: text buffered inside the wrapper would be invisible to
        # select(), and nothing has read from it before us.
        yield from _fd_batches(fd)


def _plain_batches(stream: IO[str]) -> Iterator[list[str]]:
    batch: list[str] = []
    for line in stream:
        batch.append(line)
        if len(batch) >= MAX_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _fd_batches(fd: int) -> Iterator[list[str]]:
    pending = b""
    eof = False
    while True:
        lines: list[bytes] = []
        while len(lines) < MAX_BATCH:
            if b"\n" in pending:
                *complete, pending = pending.split(b"\n")
                lines.extend(complete)
                continue
            if eof:
                if pending:
                    lines.append(pending)
                    pending = b""
                break
            # Block only while we have nothing to answer; otherwise answer what we have.
            if lines and not select.select([fd], [], [], 0)[0]:
                break
            chunk = os.read(fd, 1 << 16)
            if chunk:
                pending += chunk
            else:
                eof = True
        if lines:
            yield [line.decode("utf-8", errors="replace") for line in lines]
        if eof and not pending and not lines:
            return


def _draft_each(session: DraftSession, requests: list[DraftRequest]) -> list[Drafted | LineError]:
    """Draft a batch; if something unexpected breaks it, retry one by one so that only the
    message that breaks gets an error line and every other one is still answered."""
    if not requests:
        return []
    try:
        return list(session.draft_many(requests))
    except Exception:
        logger.exception("a batch of %d messages failed; retrying one by one", len(requests))
    results: list[Drafted | LineError] = []
    for request in requests:
        try:
            results.extend(session.draft_many([request]))
        except Exception as exc:
            logger.exception("a message could not be drafted")
            results.append(LineError("jsonl.internal", reason=type(exc).__name__))
    return results


def run_jsonl(session: DraftSession, stream: IO[str], out: IO[str]) -> int:
    """Answer every line of ``stream`` on ``out``; returns how many lines had an error."""
    errors = 0
    for raw_lines in read_batches(stream):
        # Every line gets an answer, a blank one too, so output line N answers input line N.
        lines = [line.rstrip("\r\n") for line in raw_lines]
        parsed = [parse_line(line) for line in lines]
        requests = [p for p in parsed if isinstance(p, DraftRequest)]
        answers = iter(_draft_each(session, requests))
        for item in parsed:
            answer = item if isinstance(item, LineError) else next(answers)
            if isinstance(answer, LineError):
                errors += 1
                payload: dict[str, Any] = {"error": answer.message}
            else:
                payload = drafted_to_json(answer)
            out.write(json.dumps(payload, ensure_ascii=False) + "\n")
        out.flush()
    return errors
