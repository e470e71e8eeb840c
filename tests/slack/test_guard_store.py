"""The Slack guard keeps a store outage a 503 even when it escapes bolt's own error handler:
a 400 would tell Slack never to send the event again, and the message would be lost."""

from __future__ import annotations

import json
import time

import httpx
from slack_sdk.signature import SignatureVerifier
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.channels.slack_guard import guard_slack
from bot.errors import StoreError

SECRET = "guard-test-secret"


def _signed_post(body: bytes) -> dict[str, str]:
    timestamp = str(int(time.time()))
    signature = SignatureVerifier(SECRET).generate_signature(timestamp=timestamp, body=body)
    assert signature is not None
    return {
        "content-type": "application/json",
        "x-slack-request-timestamp": timestamp,
        "x-slack-signature": signature,
    }


async def _status_when_the_handler_raises(error: Exception) -> int:
    async def handler(_request: Request) -> Response:
        raise error

    app = Starlette(
        routes=[
            Route("/slack/events", guard_slack(handler, signing_secret=SECRET), methods=["POST"])
        ]
    )
    body = json.dumps({"type": "event_callback", "event_id": "Ev1", "event": {}}).encode()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.post("/slack/events", content=body, headers=_signed_post(body))
    return response.status_code


async def test_a_store_outage_escaping_bolt_is_a_503_so_slack_sends_it_again() -> None:
    assert (
        await _status_when_the_handler_raises(
            StoreError("store.failed", url="postgresql://db", reason="down")
        )
        == 503
    )


async def test_bolt_tripping_on_a_signed_body_is_a_400() -> None:
    assert await _status_when_the_handler_raises(TypeError("event is None")) == 400
