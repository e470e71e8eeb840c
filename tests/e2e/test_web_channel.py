"""The web channel over HTTP, against the real desk, outbox and store: what the playground's
script does, checked request by request (the browser tests drive the same through Chromium)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.config import AppConfig
from bot.nlp.analyser import Analyser
from tests.browser.harness import Playground, api_client, running_playground, wait_until

COMPLAINT = "My order 88123 arrived broken. This is unacceptable!"


@pytest.fixture
async def playground(
    tmp_path: Path, app_config: AppConfig, analyser: Analyser
) -> AsyncIterator[Playground]:
    url = f"sqlite:///{tmp_path / 'var' / 'replique.db'}"
    async with running_playground(database_url=url, config=app_config, analyser=analyser) as pg:
        yield pg


@pytest.fixture
async def client(playground: Playground) -> AsyncIterator[httpx.AsyncClient]:
    async with api_client(playground.url) as opened:
        yield opened


async def say(client: httpx.AsyncClient, name: str, text: str, client_id: str) -> httpx.Response:
    return await client.post(
        "/api/messages", json={"name": name, "text": text, "client_id": client_id}
    )


async def test_message_card_send_reply_through_the_outbox(
    client: httpx.AsyncClient, playground: Playground
) -> None:
    answer = await say(client, "Léa Tremblay", COMPLAINT, "lea-0001")
    assert answer.status_code == 202
    card = answer.json()["card"]
    assert card["intent"] == "complaint"
    assert {"label": "ORDER_NUMBER", "text": "88123"} in card["entities"]
    assert card["promotional"] is False
    assert card["message_text"] == COMPLAINT

    decided = await client.post(
        "/api/actions", json={"draft_id": card["draft_id"], "action": "send"}
    )
    assert decided.status_code == 200
    assert decided.json()["applied"] is True
    assert decided.json()["card"]["status"] == "sent"

    async def replied() -> list[dict[str, str]]:
        state = (await client.get("/api/state")).json()
        return [m for m in state["conversations"][0]["messages"] if m["sender"] == "brand"]

    replies = await wait_until(replied, what="the outbox to deliver the reply")
    assert replies[0]["text"] == card["draft_text"]
    assert replies[0]["reply_to"] == "lea-0001"

    again = await client.post("/api/actions", json={"draft_id": card["draft_id"], "action": "send"})
    assert again.json()["applied"] is False
    assert again.json()["notice"]  # "Already sent by …", shown to the reviewer
    assert len(await replied()) == 1


async def test_a_double_submit_is_processed_once(client: httpx.AsyncClient) -> None:
    first = await say(client, "Sam", "Where is order 55102?", "sam-00001")
    second = await say(client, "Sam", "Where is order 55102?", "sam-00001")
    assert first.json()["duplicate"] is False
    assert second.json()["duplicate"] is True
    assert second.json()["card"] is None
    state = (await client.get("/api/state")).json()
    assert len(state["conversations"][0]["messages"]) == 1
    assert len(state["cards"]) == 1


async def test_a_very_long_message_gets_a_card(client: httpx.AsyncClient) -> None:
    answer = await say(client, "Noah", "Bonjour " * 1250, "noah-0001")  # 10,000 characters
    assert answer.status_code == 202
    assert answer.json()["card"]["message_text"] == "Bonjour " * 1250


@pytest.mark.parametrize(
    ("path", "body", "code"),
    [
        ("/api/messages", {"name": "Léa", "text": "  "}, "empty_text"),
        ("/api/messages", {"text": "hello"}, "no_name"),
        ("/api/messages", {"name": "Léa", "text": "x" * 10_001}, "too_long"),
        ("/api/messages", [1, 2], "bad_request"),
        ("/api/actions", {"action": "send", "draft_id": "one"}, "bad_request"),
        ("/api/actions", {"action": "edit", "draft_id": 1}, "empty_text"),
        ("/api/conversations", {"name": ""}, "no_name"),
    ],
)
async def test_bad_requests_get_a_clear_error(
    client: httpx.AsyncClient, path: str, body: object, code: str
) -> None:
    answer = await client.post(path, json=body)
    assert answer.status_code == 400
    assert answer.json()["error"] == code
    assert answer.json()["detail"]


async def test_broken_json_is_a_clear_error(client: httpx.AsyncClient) -> None:
    answer = await client.post(
        "/api/messages", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 400
    assert answer.json()["error"] == "bad_request"


async def test_events_stream_messages_and_cards_live(
    client: httpx.AsyncClient, playground: Playground
) -> None:
    seen: list[tuple[str, dict[str, object]]] = []

    async def read() -> None:
        async with client.stream("GET", "/api/events") as stream:
            event = ""
            async for line in stream.aiter_lines():
                if line.startswith("event:"):
                    event = line.removeprefix("event:").strip()
                elif line.startswith("data:"):
                    seen.append((event, json.loads(line.removeprefix("data:").strip())))

    reader = asyncio.create_task(read())
    await wait_until(lambda: any(kind == "hello" for kind, _ in seen), what="hello")
    await say(client, "Chloé", "Bonjour, quelles sont vos heures d'ouverture ?", "chloe-0001")
    await wait_until(lambda: any(kind == "card" for kind, _ in seen), what="a card event")
    kinds = [kind for kind, _ in seen]
    assert kinds.index("message") < kinds.index("card")
    message = next(data for kind, data in seen if kind == "message")
    assert message["message"]["text"] == "Bonjour, quelles sont vos heures d'ouverture ?"  # type: ignore[index]

    # Stopping the adapter ends the stream, so the server's shutdown never waits for pages.
    await playground.adapter.stop()
    await asyncio.wait_for(reader, timeout=10)


async def test_pages_are_served_with_their_language_and_a_strict_policy(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/", headers={"Accept-Language": "fr-CA,fr;q=0.9"})
    assert page.status_code == 200
    assert '<html lang="fr">' in page.text
    assert "Bureau de relecture" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    # Everything the page loads is served by Réplique itself: no CDN, no internet.
    assert "http://" not in page.text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page.text
    for asset in ("/static/playground.js", "/static/replique.css", "/static/favicon.svg"):
        assert (await client.get(asset)).status_code == 200
    english = await client.get("/?lang=en", headers={"Accept-Language": "fr"})
    assert "Review desk" in english.text

    await say(client, "Léa", COMPLAINT, "lea-insight1")
    insights = await client.get("/insights?lang=en")
    assert insights.status_code == 200
    assert insights.text.count("<svg") >= 2
    assert "complaint: 1" in insights.text


async def test_another_site_cannot_post_through_a_reviewers_browser(
    client: httpx.AsyncClient, playground: Playground
) -> None:
    # A form on another site can send text/plain without a preflight: refused.
    forged = await client.post(
        "/api/messages",
        content=json.dumps({"name": "X", "text": "hi", "client_id": "forged-0001"}),
        headers={"Content-Type": "text/plain"},
    )
    assert forged.status_code == 400
    assert "application/json" in forged.json()["detail"]
    # A script on another site names its origin: refused too.
    cross = await client.post(
        "/api/messages",
        json={"name": "X", "text": "hi", "client_id": "forged-0002"},
        headers={"Origin": "https://evil.example"},
    )
    assert cross.status_code == 403
    assert cross.json()["error"] == "bad_origin"
    state = (await client.get("/api/state")).json()
    assert state["cards"] == []
    # The page itself (same origin) is served.
    same = await client.post(
        "/api/messages",
        json={"name": "X", "text": "hi", "client_id": "page-00001"},
        headers={"Origin": playground.url},
    )
    assert same.status_code == 202, same.text


async def test_a_send_on_the_version_before_another_version_is_refused(
    client: httpx.AsyncClient,
) -> None:
    answer = await say(client, "Léa", "Merci beaucoup, super service!", "lea-seen01")
    first = answer.json()["card"]
    assert first["variants"] >= 2
    switched = await client.post(
        "/api/actions", json={"draft_id": first["draft_id"], "action": "variant"}
    )
    second = switched.json()["card"]
    assert second["draft_id"] != first["draft_id"]

    # A second tab still showing version 1 sends it.
    stale = await client.post(
        "/api/actions", json={"draft_id": first["draft_id"], "action": "send"}
    )

    assert stale.status_code == 200
    assert stale.json()["applied"] is False
    assert stale.json()["notice"].startswith("The draft changed: look again")
    assert stale.json()["card"]["draft_id"] == second["draft_id"]  # the page shows it again
    assert stale.json()["card"]["status"] == "pending"
    state = (await client.get("/api/state")).json()
    assert [m["sender"] for m in state["conversations"][0]["messages"]] == ["customer"]
    sent = await client.post(
        "/api/actions", json={"draft_id": second["draft_id"], "action": "send"}
    )
    assert sent.json()["applied"] is True
    assert sent.json()["card"]["draft_text"] == second["draft_text"]
