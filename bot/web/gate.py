"""The doors of the playground's routes: each handler is wrapped in the check its kind needs.

- ``page``: the playground and insights pages; a reviewer's pages (signed in, or this machine);
  the session cookie and its CSRF token come with them.
- ``read``: ``GET /api/state`` and ``/api/events``, the cards as JSON: a reviewer only.
- ``write``: every ``POST /api/…``: a reviewer, from one of our origins, with the CSRF token.
- ``hosts_only``: the static files: any caller, but only under one of our host names.
- ``signin_page`` / ``sign_in``: the sign-in form when ``REPLIQUE_WEB_TOKEN`` is set.

Every route checks the ``Host`` header first (421 otherwise): a DNS-rebinding page never gets
past it. The rules themselves are in ``bot.web.access``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable
from typing import Any, Final
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.http_limits import RateLimiter, source_address
from bot.i18n import Lang
from bot.web import i18n
from bot.web.access import COOKIE, CSRF_FIELD, CSRF_HEADER, Session, WebAccess

__all__ = ["Gate"]

Handler = Callable[[Request], Awaitable[Response]]
#: ``render(page, lang=…, **values)``: the adapter's page renderer (its Jinja environment).
Render = Callable[..., Response]

#: Sign-in attempts per source: 5 at once, then one every 12 seconds.
_SIGNIN_RATE: Final = 1 / 12
_SIGNIN_BURST: Final = 5


def _misdirected() -> Response:
    return PlainTextResponse("Misdirected Request: unknown host name\n", status_code=421)


def _forbidden(code: str, detail: str) -> JSONResponse:
    return JSONResponse({"error": code, "detail": detail}, status_code=403)


class Gate:
    """Wraps the web adapter's handlers in ``access``'s rules; ``render`` draws refusal pages."""

    def __init__(
        self,
        *,
        access: WebAccess,
        render: Render,
        lang: Callable[[Request], Lang],
        trusted_proxies: tuple[str, ...] = (),
    ) -> None:
        self.access = access
        self._render = render
        self._lang = lang
        self._trusted = trusted_proxies
        self._attempts = RateLimiter(rate=_SIGNIN_RATE, burst=_SIGNIN_BURST)

    # --- sessions ---------------------------------------------------------------------------------

    def _with_session(self, request: Request, response: Response, session: Session) -> Response:
        response.set_cookie(
            COOKIE,
            self.access.cookie(session),
            max_age=max(1, session.expires - int(time.time())),
            path="/",
            httponly=True,
            samesite="strict",
            secure=self.access.secure_cookie(request),
        )
        response.headers["Cache-Control"] = "no-store"
        return response

    def session_of(self, request: Request) -> Session:
        """The session the gate found or made for this page (``page`` handlers only)."""
        session: Session = request.state.session
        return session

    def csrf_of(self, request: Request) -> str:
        return self.access.csrf(self.session_of(request))

    # --- the doors --------------------------------------------------------------------------------

    def hosts_only(self, app: ASGIApp) -> ASGIApp:
        async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http" and not self.access.host_allowed(Request(scope)):
                await _misdirected()(scope, receive, send)
                return
            await app(scope, receive, send)

        return guarded

    def _closed(self, request: Request) -> Response:
        """Not a reviewer: the sign-in form, or a page that says the playground is local."""
        lang = self._lang(request)
        if self.access.sign_in:
            return RedirectResponse(f"/signin?lang={lang}", status_code=303)
        response = self._render("signin.html", lang=lang, closed=True, csrf="", problem=None)
        response.status_code = 403
        return response

    def page(self, handler: Handler) -> Handler:
        async def guarded(request: Request) -> Response:
            if not self.access.host_allowed(request):
                return _misdirected()
            if not self.access.may_review(request):
                return self._closed(request)
            session = self.access.session(request) or self.access.new_session()
            request.state.session = session
            return self._with_session(request, await handler(request), session)

        return guarded

    def read(self, handler: Handler) -> Handler:
        async def guarded(request: Request) -> Response:
            if not self.access.host_allowed(request):
                return _misdirected()
            if not self.access.may_review(request):
                return _forbidden("forbidden", "only a reviewer may read the cards")
            return await handler(request)

        return guarded

    def write(self, handler: Handler) -> Handler:
        async def guarded(request: Request) -> Response:
            if not self.access.host_allowed(request):
                return _misdirected()
            if not self.access.may_review(request):
                return _forbidden("forbidden", "only a reviewer may do this")
            if not self.access.origin_allowed(request):
                return _forbidden("bad_origin", "requests from another site are refused")
            if not self.access.csrf_ok(request, request.headers.get(CSRF_HEADER)):
                return _forbidden("bad_csrf", "the page's session has ended: reload it")
            return await handler(request)

        return guarded

    # --- sign-in ----------------------------------------------------------------------------------

    async def signin_page(self, request: Request) -> Response:
        if not self.access.host_allowed(request):
            return _misdirected()
        lang = self._lang(request)
        if not self.access.sign_in:
            return RedirectResponse(f"/?lang={lang}", status_code=303)
        session = self.access.session(request) or self.access.new_session()
        page = self._render(
            "signin.html", lang=lang, closed=False, csrf=self.access.csrf(session), problem=None
        )
        return self._with_session(request, page, session)

    async def sign_in(self, request: Request) -> Response:
        if not self.access.host_allowed(request):
            return _misdirected()
        lang = self._lang(request)
        if not self.access.sign_in:
            return _forbidden("forbidden", "sign-in is not configured (REPLIQUE_WEB_TOKEN)")
        wait = self._attempts.take(source_address(request.scope, trusted_proxies=self._trusted))
        if wait > 0:
            return PlainTextResponse(
                "Too Many Requests\n",
                status_code=429,
                headers={"Retry-After": str(max(1, math.ceil(wait)))},
            )
        form = _form(await request.body())
        if not self.access.origin_allowed(request) or not self.access.csrf_ok(
            request, form.get(CSRF_FIELD)
        ):
            return _forbidden("bad_csrf", "the sign-in form has expired: reload it")
        if not self.access.token_ok(form.get("token", "")):
            session = self.access.session(request) or self.access.new_session()
            page = self._render(
                "signin.html",
                lang=lang,
                closed=False,
                csrf=self.access.csrf(session),
                problem=i18n.text("web.signin_wrong", lang),
            )
            page.status_code = 403
            return self._with_session(request, page, session)
        # A new session id on sign-in: a session planted before it is worth nothing after.
        signed = self.access.new_session(signed_in=True)
        return self._with_session(
            request, RedirectResponse(f"/?lang={lang}", status_code=303), signed
        )


def _form(body: bytes) -> dict[str, str]:
    """An urlencoded form's first values (the sign-in form has two short fields)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return {}
    try:
        fields: dict[str, Any] = parse_qs(text, keep_blank_values=True, max_num_fields=10)
    except ValueError:
        return {}
    return {key: str(values[0]) for key, values in fields.items() if values}
