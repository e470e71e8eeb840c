"""Any JSON at the playground's API gets a 2xx or a 4xx with a code, never a 500: Hypothesis
sends generated bodies over HTTP to the running playground (real desk, store and analyser)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import AppConfig
from bot.nlp.analyser import Analyser
from tests.browser.harness import api_client, running_playground

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
shaped = st.fixed_dictionaries(
    {},
    optional={
        "name": values | st.text(max_size=90),
        "text": values | st.text(max_size=200),
        "look": values | st.sampled_from(["telegram", "slack"]),
        "client_id": values | st.from_regex(r"[A-Za-z0-9_-]{8,20}", fullmatch=True),
        "draft_id": values | st.integers(min_value=-3, max_value=50),
        "action": values | st.sampled_from(["send", "edit", "variant", "discard", "fix_intent"]),
        "edited_text": values,
        "intent": values | st.sampled_from(["complaint", "other"]),
    },
)
bodies = st.one_of(values.map(json.dumps), shaped.map(json.dumps), st.binary(max_size=200))


@pytest.fixture
async def client(
    tmp_path: Path, app_config: AppConfig, analyser: Analyser
) -> AsyncIterator[httpx.AsyncClient]:
    url = f"sqlite:///{tmp_path / 'replique.db'}"
    async with (
        running_playground(database_url=url, config=app_config, analyser=analyser) as pg,
        api_client(pg.url) as opened,
    ):
        yield opened


@FUZZ
@given(path=st.sampled_from(["/api/messages", "/api/actions", "/api/conversations"]), body=bodies)
async def test_any_body_gets_an_answer_never_a_500(
    client: httpx.AsyncClient, path: str, body: str | bytes
) -> None:
    answer = await client.post(path, content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code in (200, 202, 400, 403), answer.text
    if answer.status_code >= 400:
        assert answer.json()["error"]


@pytest.mark.parametrize("path", ["/api/messages", "/api/actions", "/api/conversations"])
async def test_deeply_nested_json_is_400_not_a_recursion_error(
    client: httpx.AsyncClient, path: str
) -> None:
    deep = '{"name": ' + "[" * 100_000 + "]" * 100_000 + "}"
    answer = await client.post(path, content=deep, headers={"Content-Type": "application/json"})
    assert answer.status_code == 400
    assert answer.json()["error"] == "bad_request"
    assert "deeper" in answer.json()["detail"] or "larger" in answer.json()["detail"]
