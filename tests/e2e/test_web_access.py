"""Who may use the playground (docs/security.md), checked over HTTP against the real service.

Each test is one finding of the security read: a DNS-rebinding page, a post without (or with
another site's) origin, a missing CSRF token, a caller behind the reverse proxy or on another
machine, a Telegram customer's card reached through the playground. A remote caller is an
in-process client whose peer address is a documentation address (203.0.113.0/24); the rest are
real HTTP requests to the service on 127.0.0.1.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from bot.config import AppConfig
from bot.domain import InboundMessage
from bot.nlp.analyser import Analyser
from bot.server import create_app
from tests.browser.harness import Playground, api_client, running_playground

TOKEN = "correct-horse-battery-staple"
REMOTE = ("203.0.113.7", 40000)


@pytest.fixture
async def playground(
    tmp_path: Path, app_config: AppConfig, analyser: Analyser
) -> AsyncIterator[Playground]:
    url = f"sqlite:///{tmp_path / 'replique.db'}"
    async with running_playground(database_url=url, config=app_config, analyser=analyser) as pg:
        yield pg


@pytest.fixture
async def client(playground: Playground) -> AsyncIterator[httpx.AsyncClient]:
    async with api_client(playground.url) as opened:
        yield opened


def remote_client(playground: Playground, **options: object) -> httpx.AsyncClient:
    """A client on another machine: the same routes, reached from ``REMOTE``."""
    app = create_app(store=playground.store, routes=playground.adapter.routes())
    transport = httpx.ASGITransport(app=app, client=REMOTE)
    return httpx.AsyncClient(transport=transport, base_url=playground.url, **options)  # type: ignore[arg-type]


def csrf_in(page: str) -> str:
    found = re.search(r'name="csrf(?:-token)?" (?:content|value)="([^"]+)"', page)
    assert found is not None, "no CSRF token in the page"
    return found.group(1)


async def telegram_card(playground: Playground) -> int:
    """A Telegram customer's message taken in by the same desk; its draft id."""
    outcome = await playground.desk.receive(
        InboundMessage(
            platform="telegram",
            conversation_id="5550001",
            customer_id="5550001",
            customer_name="Jean Dupont",
            text="Où est ma commande 88123 ?",
            platform_message_id="77",
            received_at=datetime.now(UTC),
        ),
        event_id="telegram:900001",
    )
    assert outcome.card is not None
    return outcome.card.draft_id


# --- DNS rebinding: only our host names ---------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/"),
        ("GET", "/insights"),
        ("GET", "/api/state"),
        ("GET", "/api/events"),
        ("GET", "/static/playground.js"),
        ("POST", "/api/actions"),
        ("POST", "/api/messages"),
    ],
)
async def test_a_dns_rebinding_page_gets_421_everywhere(
    client: httpx.AsyncClient, playground: Playground, method: str, path: str
) -> None:
    port = playground.url.rsplit(":", 1)[1]
    evil = f"evil.example:{port}"
    # The rebinding page's origin is its own host: it matches itself, and that is not enough.
    answer = await client.request(
        method,
        path,
        json={"draft_id": 1, "action": "send"} if method == "POST" else None,
        headers={"Host": evil, "Origin": f"http://{evil}"},
    )
    assert answer.status_code == 421


async def test_our_own_names_are_answered(
    client: httpx.AsyncClient, playground: Playground
) -> None:
    port = playground.url.rsplit(":", 1)[1]
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}"):
        assert (await client.get("/api/state", headers={"Host": host})).status_code == 200


# --- posts: our origin and the session's CSRF token ----------------------------------------------


async def test_a_post_without_origin_is_refused(client: httpx.AsyncClient) -> None:
    del client.headers["Origin"]
    answer = await client.post("/api/messages", json={"name": "X", "text": "hi"})
    assert answer.status_code == 403
    assert answer.json()["error"] == "bad_origin"


async def test_origins_come_from_configuration_not_from_the_request(
    tmp_path: Path, app_config: AppConfig, analyser: Analyser
) -> None:
    config = app_config.model_copy(
        update={
            "web": app_config.web.model_copy(update={"allowed_origins": ("https://desk.example",)})
        }
    )
    url = f"sqlite:///{tmp_path / 'replique.db'}"
    async with (
        running_playground(database_url=url, config=config, analyser=analyser) as pg,
        api_client(pg.url) as client,
    ):
        body = {"name": "Léa", "text": "Bonjour", "client_id": "origin-0001"}
        # The service's own address is no longer an allowed origin once origins are listed.
        refused = await client.post("/api/messages", json=body)
        assert refused.status_code == 403
        assert refused.json()["error"] == "bad_origin"
        accepted = await client.post(
            "/api/messages", json=body, headers={"Origin": "https://desk.example"}
        )
        assert accepted.status_code == 202


async def test_a_post_without_the_sessions_csrf_token_is_refused(
    client: httpx.AsyncClient, playground: Playground
) -> None:
    body = {"name": "Léa", "text": "Bonjour", "client_id": "csrf-00001"}
    token = client.headers.pop("X-CSRF-Token")
    missing = await client.post("/api/messages", json=body)
    assert missing.status_code == 403
    assert missing.json()["error"] == "bad_csrf"
    wrong = await client.post("/api/messages", json=body, headers={"X-CSRF-Token": "0" * 64})
    assert wrong.json()["error"] == "bad_csrf"
    # Another browser's token is worth nothing with this browser's cookie, and the reverse.
    async with api_client(playground.url) as other:
        crossed = await client.post(
            "/api/messages", json=body, headers={"X-CSRF-Token": other.headers["X-CSRF-Token"]}
        )
        assert crossed.json()["error"] == "bad_csrf"
    client.cookies.clear()
    no_cookie = await client.post("/api/messages", json=body, headers={"X-CSRF-Token": token})
    assert no_cookie.json()["error"] == "bad_csrf"
    assert (await client.get("/api/state")).json()["cards"] == []


async def test_the_session_cookie_is_httponly_and_same_site_strict(playground: Playground) -> None:
    async with httpx.AsyncClient(base_url=playground.url) as client:
        page = await client.get("/")
    cookie = page.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=strict" in cookie
    assert csrf_in(page.text)


# --- reviewers: this machine, not the proxy, not another machine ------------------------------


async def test_behind_the_reverse_proxy_nothing_is_readable_or_doable(
    client: httpx.AsyncClient,
) -> None:
    """The proxy forwards to 127.0.0.1: its X-Forwarded-For says the caller is elsewhere."""
    forwarded = {"X-Forwarded-For": "198.51.100.4"}
    await client.post(
        "/api/messages", json={"name": "Léa", "text": "Bonjour", "client_id": "lea-00001"}
    )
    state = await client.get("/api/state", headers=forwarded)
    assert state.status_code == 403
    assert "Bonjour" not in state.text
    assert (await client.get("/api/events", headers=forwarded)).status_code == 403
    acted = await client.post(
        "/api/actions", json={"draft_id": 1, "action": "send"}, headers=forwarded
    )
    assert acted.status_code == 403
    posted = await client.post(
        "/api/messages",
        json={"name": "Evil", "text": "hi"},
        headers={"Forwarded": "for=198.51.100.4"},
    )
    assert posted.status_code == 403
    page = await client.get("/", headers=forwarded)
    assert page.status_code == 403
    assert "REPLIQUE_WEB_TOKEN" in page.text


async def test_another_machine_can_neither_read_nor_act(
    client: httpx.AsyncClient, playground: Playground
) -> None:
    await client.post(
        "/api/messages", json={"name": "Léa", "text": "Bonjour", "client_id": "lea-00002"}
    )
    async with remote_client(playground) as remote:
        assert (await remote.get("/")).status_code == 403
        state = await remote.get("/api/state")
        assert state.status_code == 403
        assert "Bonjour" not in state.text
        assert (await remote.get("/api/events")).status_code == 403
        assert (await remote.get("/insights")).status_code == 403
        # Even with everything a page would send (its origin, a token it cannot get anyway).
        headers = {"Origin": playground.url, "X-CSRF-Token": client.headers["X-CSRF-Token"]}
        remote.cookies.update(client.cookies)
        acted = await remote.post(
            "/api/actions", json={"draft_id": 1, "action": "send"}, headers=headers
        )
        assert acted.status_code == 403
        assert acted.json()["error"] == "forbidden"
        posted = await remote.post(
            "/api/messages", json={"name": "Evil", "text": "hi"}, headers=headers
        )
        assert posted.status_code == 403


async def test_a_telegram_customers_card_never_reaches_the_playground(
    client: httpx.AsyncClient, playground: Playground
) -> None:
    draft_id = await telegram_card(playground)
    state = (await client.get("/api/state")).json()
    assert state["cards"] == []
    acted = await client.post(
        "/api/actions", json={"draft_id": draft_id, "action": "edit", "edited_text": "Pwned"}
    )
    assert acted.status_code == 403
    card = await playground.desk.card_for_draft(draft_id)
    assert card is not None
    assert not card.decided
    assert card.final_text is None


# --- sign-in with REPLIQUE_WEB_TOKEN --------------------------------------------------------------


@pytest.fixture
async def signed_playground(
    tmp_path: Path, app_config: AppConfig, analyser: Analyser
) -> AsyncIterator[Playground]:
    url = f"sqlite:///{tmp_path / 'replique.db'}"
    async with running_playground(
        database_url=url,
        config=app_config,
        analyser=analyser,
        replique_web_token=SecretStr(TOKEN),
    ) as pg:
        yield pg


async def sign_in(client: httpx.AsyncClient, token: str) -> httpx.Response:
    form = await client.get("/signin")
    assert form.status_code == 200
    return await client.post(
        "/signin",
        data={"token": token, "csrf": csrf_in(form.text)},
        headers={"Origin": str(client.base_url).rstrip("/")},
    )


async def test_with_a_token_a_remote_reviewer_signs_in_and_acts(
    signed_playground: Playground,
) -> None:
    async with remote_client(signed_playground) as remote:
        first = await remote.get("/")
        assert first.status_code == 303
        assert first.headers["location"].startswith("/signin")
        wrong = await sign_in(remote, "not-the-token")
        assert wrong.status_code == 403
        assert (await remote.get("/api/state")).status_code == 403
        right = await sign_in(remote, TOKEN)
        assert right.status_code == 303
        page = await remote.get("/")
        assert page.status_code == 200
        headers = {"Origin": signed_playground.url, "X-CSRF-Token": csrf_in(page.text)}
        posted = await remote.post(
            "/api/messages",
            json={"name": "Léa", "text": "Where is order 55102?", "client_id": "signed-001"},
            headers=headers,
        )
        assert posted.status_code == 202, posted.text
        card = posted.json()["card"]
        acted = await remote.post(
            "/api/actions",
            json={"draft_id": card["draft_id"], "action": "discard"},
            headers=headers,
        )
        assert acted.status_code == 200
        assert acted.json()["applied"] is True


async def test_with_a_token_this_machine_signs_in_too(signed_playground: Playground) -> None:
    async with httpx.AsyncClient(base_url=signed_playground.url) as local:
        assert (await local.get("/api/state")).status_code == 403
        assert (await local.get("/")).status_code == 303
        assert (await sign_in(local, TOKEN)).status_code == 303
        assert (await local.get("/api/state")).status_code == 200


async def test_guessing_the_token_is_slowed_down(signed_playground: Playground) -> None:
    async with remote_client(signed_playground) as remote:
        answers = [(await sign_in(remote, f"guess-{n}")).status_code for n in range(7)]
    assert answers[:5] == [403] * 5
    assert answers[-1] == 429
