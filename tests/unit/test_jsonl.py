"""JSON Lines processing: one answer per line, in order, whatever happens to one of them."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from typing import Any, cast

import pytest

from bot.drafting.session import Drafted, DraftRequest, DraftSession
from bot.jsonl import parse_line, run_jsonl


class BreaksOn:
    """A draft session that fails on one text, as a bug would, and works for the others."""

    def __init__(self, real: DraftSession, poison: str) -> None:
        self.real, self.poison = real, poison

    def draft_many(self, requests: Sequence[DraftRequest]) -> list[Drafted]:
        if any(r.text == self.poison for r in requests):
            raise RuntimeError("simulated bug")
        return self.real.draft_many(requests)


def answers(session: Any, lines: list[str]) -> list[dict[str, Any]]:
    out = io.StringIO()
    run_jsonl(cast(DraftSession, session), io.StringIO("\n".join(lines) + "\n"), out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_one_failing_message_does_not_take_the_batch_down(session: DraftSession) -> None:
    lines = [json.dumps({"text": t}) for t in ("merci!", "boom", "where is my order 4821?")]
    out = answers(BreaksOn(session, "boom"), lines)
    assert len(out) == 3
    assert out[0]["intent"]["name"] == "thanks"
    assert "RuntimeError" in out[1]["error"]
    assert out[2]["intent"]["name"] == "order_status"


def test_blank_lines_keep_answers_aligned(session: DraftSession) -> None:
    out = answers(session, [json.dumps({"text": "Salut!"}), "", json.dumps({"text": "STOP"})])
    assert [("error" in o) for o in out] == [False, True, False]
    assert out[2]["intent"]["name"] == "opt_out"


@pytest.mark.parametrize(
    ("line", "needle"),
    [
        ("[1, 2]", "object"),
        ('{"text": 12}', "text"),
        ('{"text": "hi", "customer": "bob"}', "customer"),
        ('{"text": "hi", "channel": "fax"}', "channel"),
        ('{"text": "hi"', "JSON"),
        ('{"text": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deep"),
        ('{"text": "' + "x" * (2 << 20) + '"}', "too large"),
        ('{"text": ' + "9" * 5000 + "}", "JSON"),
    ],
    ids=["list", "text-number", "customer-string", "channel", "cut", "deep", "large", "huge-int"],
)
def test_invalid_lines_say_what_is_wrong(line: str, needle: str) -> None:
    result = parse_line(line)
    assert not isinstance(result, DraftRequest)
    assert needle in result.message


def test_a_session_forgets_the_oldest_customers_first(
    session: DraftSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.drafting import session as session_module

    monkeypatch.setattr(session_module, "MAX_REMEMBERED_CUSTOMERS", 2)
    fresh = DraftSession(session.config, replier=session.replier)
    for customer in ("a", "b", "c"):
        fresh.draft_many([DraftRequest("Bonjour!", customer_id=customer, customer_name="Léa")])
    # "a" was forgotten, so it is greeted again; "c" is remembered and is not.
    again = fresh.draft_many(
        [
            DraftRequest("merci", customer_id="a", customer_name="Léa"),
            DraftRequest("merci", customer_id="c", customer_name="Léa"),
        ]
    )
    assert again[0].result.drafts[0].text.startswith("Bonjour")
    assert not again[1].result.drafts[0].text.startswith("Bonjour")
