"""The door of ``POST /slack/events``: the signature is checked on the raw body before anything
parses it.

bolt builds its request object — parsing the body as JSON or as a form with a JSON ``payload``
and reading team, user and channel out of it — *before* its own signature check runs. An unsigned
body such as ``[1]`` therefore raised inside bolt and came back as a 500 with a traceback in the
log. ``guard_slack`` wraps the route's handler:

- no signature, a wrong one, a stale timestamp (over five minutes) or malformed signature
  headers: **401**, and the body is never parsed;
- signed, but not something bolt can take (not UTF-8, not JSON, not an object, a form without a
  JSON ``payload``, nested deeper than ``MAX_DEPTH``): **400**;
- otherwise the request goes on to bolt, which checks the signature again (cheap) and dispatches;
  should bolt still answer 500 (a middleware tripping on a field of an unexpected type), the
  signed request gets 400; a 503 (the store is unavailable: Slack must send it again) stays.

Nothing of the body is ever logged: only why a request was refused.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, Final
from urllib.parse import parse_qsl

from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier
from starlette.requests import Request
from starlette.responses import Response

from bot.errors import StoreError
from bot.web import safe_json

__all__ = ["MAX_DEPTH", "guard_slack", "parse_problem"]

log = logging.getLogger(__name__)

Handler = Callable[[Request], Awaitable[Response]]
#: Deepest JSON taken from Slack (Block Kit views nest about a dozen levels).
MAX_DEPTH: Final = 64
_MAX_BYTES: Final = 1 << 20


def _signed(verifier: SignatureVerifier, request: Request, body: bytes) -> bool:
    try:
        return verifier.is_valid(
            body=body,
            timestamp=request.headers.get("x-slack-request-timestamp"),
            signature=request.headers.get("x-slack-signature"),
        )
    except (ValueError, TypeError, OverflowError):
        # A timestamp that is not a number, a signature that is not ASCII: not Slack.
        return False


#: Fields bolt reads while routing a request, and the JSON types they must have.
_OBJECTS: Final = ("event", "view", "container", "message", "state", "item", "function")
_OBJECT_OR_TEXT: Final = ("enterprise", "team", "user", "channel", "bot_profile")
_LISTS_OF_OBJECTS: Final = ("authorizations", "actions")
_TEXTS: Final = ("type", "subtype", "callback_id", "team_id", "user_id", "channel_id")


def _shape_problem(payload: dict[str, Any], *, level: int = 0) -> str | None:
    """The first field bolt would trip on (a list where it expects an object…), or None."""
    for key in _OBJECTS:
        value = payload.get(key)
        if value is not None:
            if not isinstance(value, dict):
                return f"bad_{key}"
            if level < 2 and (inner := _shape_problem(value, level=level + 1)):
                return inner
    for key in _OBJECT_OR_TEXT:
        value = payload.get(key)
        if value is not None and not isinstance(value, dict | str):
            return f"bad_{key}"
    for key in _LISTS_OF_OBJECTS:
        value = payload.get(key)
        if value is not None and (
            not isinstance(value, list) or not all(isinstance(v, dict) for v in value)
        ):
            return f"bad_{key}"
    for key in _TEXTS:
        value = payload.get(key)
        if value is not None and not isinstance(value, str):
            return f"bad_{key}"
    return None


def _json_object(text: str) -> str | None:
    try:
        parsed = safe_json.loads(text, max_bytes=_MAX_BYTES, max_depth=MAX_DEPTH)
    except safe_json.UnsafeJSON as problem:
        return problem.reason
    if not isinstance(parsed, dict):
        return "not_object"
    return _shape_problem(parsed)


def parse_problem(body: bytes, content_type: str | None) -> str | None:
    """Why bolt could not take this (signed) body, or None when it can; a short code, never
    the body."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "not_utf8"
    if not text:
        return "empty"
    if (content_type or "").split(";")[0].strip() == "application/json" or text.startswith("{"):
        return _json_object(text)
    try:
        form = dict(parse_qsl(text, keep_blank_values=True, max_num_fields=100))
    except ValueError:
        return "bad_form"
    if "payload" in text:
        payload = form.get("payload")
        if payload is None:
            return "bad_form"
        return _json_object(payload)
    # A form without a payload (slash commands, url_verification by form): bolt takes it as is.
    return None


def _bolt_problem(request: Request, body: bytes) -> str | None:
    """Build bolt's request object as bolt will: whatever it cannot read is a 400, not a 500."""
    try:
        built: Any = AsyncBoltRequest(
            body=body.decode("utf-8"),
            query=request.query_params,  # type: ignore[arg-type]
            headers=request.headers,  # type: ignore[arg-type]
        )
    except Exception as exc:
        return f"unreadable ({type(exc).__name__})"
    return None if isinstance(built.body, dict) else "not_object"


def guard_slack(handler: Handler, *, signing_secret: str) -> Handler:
    """``handler`` (bolt's Starlette handler) behind the signature check and the parse check."""
    verifier = SignatureVerifier(signing_secret)

    async def guarded(request: Request) -> Response:
        # Starlette keeps the body: bolt's handler reads the same bytes again.
        body = await request.body()
        if not _signed(verifier, request, body):
            log.warning("slack: request refused (missing, wrong or stale signature)")
            return Response(status_code=401)
        problem = parse_problem(body, request.headers.get("content-type"))
        problem = problem or _bolt_problem(request, body)
        if problem is not None:
            log.warning(
                "slack: signed request refused, its body is not a Slack payload (%s)", problem
            )
            return Response(status_code=400)
        try:
            response = await handler(request)
        except StoreError:
            # Nothing was stored: Slack must send it again, so it is not a 400 (never retried).
            log.warning("slack: request not stored (store unavailable): 503")
            return Response(status_code=503)
        except Exception as exc:
            # bolt reading a field of an unexpected shape (``"event": null``…) while routing: a
            # signed request Slack would never send, not our failure; its body is not logged.
            log.warning(
                "slack: signed request refused, bolt could not read it (%s)", type(exc).__name__
            )
            return Response(status_code=400)
        if response.status_code == 500:
            # bolt answers 500 when a middleware trips on a payload's shape: for a signed
            # request that is Slack sending something we cannot take, not our failure.
            log.warning("slack: signed request refused, bolt could not route it")
            return Response(status_code=400)
        return response

    return guarded
