"""Who may use the playground's pages and API, decided per request (docs/security.md).

The playground has one reviewer and no accounts, so its rules are about *where a request comes
from* and *which page sent it*:

- **Host allow-list** (``web.allowed_hosts``): a page served under another name (a DNS-rebinding
  site, ``evil.example`` resolving to 127.0.0.1) gets 421 and nothing else.
- **Origin allow-list** (``web.allowed_origins``): a state-changing request must name, in
  ``Origin``, one of the service's own origins — built from the configuration and the port the
  service listens on, never from the request's own ``Host``.
- **Session and CSRF token**: the page is served with a signed session cookie (``HttpOnly``,
  ``SameSite=Strict``) and a token derived from it; every state-changing request carries the
  token in ``X-CSRF-Token`` (a form in a ``csrf`` field).
- **Reviewers**: without ``REPLIQUE_WEB_TOKEN``, only this machine may read the cards or act:
  the peer is a loopback address and no proxy header says the request was forwarded. With it,
  everyone (this machine too) signs in with the token first, and the session says so.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import time
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

from pydantic import SecretStr
from starlette.requests import HTTPConnection

from bot.config import WebConfig
from bot.http_limits import forwarded

__all__ = ["COOKIE", "CSRF_FIELD", "CSRF_HEADER", "Session", "WebAccess"]

COOKIE: Final = "replique_session"
CSRF_HEADER: Final = "x-csrf-token"
CSRF_FIELD: Final = "csrf"
_LOOPBACK_NAMES: Final = ("127.0.0.1", "localhost", "::1")
_WILDCARDS: Final = frozenset({"", "0.0.0.0", "::"})
_DEFAULT_PORTS: Final = {"http": 80, "https": 443}


@dataclass(frozen=True, slots=True)
class Session:
    """One browser's session: an id, whether it signed in, when it ends (Unix seconds)."""

    sid: str
    signed_in: bool
    expires: int


def _host_name(value: str) -> str:
    """``Host``-header or origin host, lowercased, without port or IPv6 brackets."""
    value = value.strip()
    if value.count(":") > 1 and not value.startswith("["):
        value = f"[{value}]"  # a bare IPv6 address, as written in replique.yml
    try:
        return (urlsplit("//" + value).hostname or "").rstrip(".")
    except ValueError:
        return ""


def _origin(value: str) -> tuple[str, str, int] | None:
    """``(scheme, host, port)`` of an origin, default ports filled in; None when malformed."""
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname or parts.path not in ("", "/"):
        return None
    return parts.scheme, parts.hostname.rstrip("."), port or _DEFAULT_PORTS[parts.scheme]


def _same(given: str, expected: str) -> bool:
    """Constant-time comparison that takes any text (``compare_digest`` refuses non-ASCII str)."""
    return hmac.compare_digest(
        given.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass")
    )


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


class WebAccess:
    """The playground's access rules, from ``web:`` in replique.yml and the environment."""

    def __init__(
        self, *, config: WebConfig, listen_host: str = "127.0.0.1", token: SecretStr | None = None
    ) -> None:
        hosts = config.allowed_hosts or _LOOPBACK_NAMES
        if not config.allowed_hosts and listen_host not in _WILDCARDS:
            hosts = (*hosts, listen_host)
        self.hosts = frozenset(_host_name(h) for h in hosts if _host_name(h))
        self._origins = tuple(o for o in map(_origin, config.allowed_origins) if o is not None)
        self._token = token.get_secret_value() if token is not None else None
        self._lifetime = int(config.session_hours * 3600)
        # With a token, sessions outlive a restart and are shared by every process that has it;
        # without one nothing needs to survive: a new key per process.
        self._key = (
            hmac.new(self._token.encode(), b"replique web session", hashlib.sha256).digest()
            if self._token
            else secrets.token_bytes(32)
        )

    @property
    def sign_in(self) -> bool:
        """Whether reviewers sign in (``REPLIQUE_WEB_TOKEN`` is set)."""
        return self._token is not None

    # --- where the request comes from ---------------------------------------------------------

    def host_allowed(self, conn: HTTPConnection) -> bool:
        return _host_name(conn.headers.get("host", "")) in self.hosts

    def origins(self, conn: HTTPConnection) -> tuple[tuple[str, str, int], ...]:
        """The origins allowed to post: configured, or each allowed host on our own port."""
        if self._origins:
            return self._origins
        server = conn.scope.get("server")
        port = int(server[1]) if server and server[1] else 80
        return tuple(("http", host, port) for host in sorted(self.hosts))

    def origin_allowed(self, conn: HTTPConnection) -> bool:
        """``Origin`` is present and one of ours (a browser always sends it on a POST)."""
        given = _origin(conn.headers.get("origin", ""))
        return given is not None and given in self.origins(conn)

    @staticmethod
    def is_local(conn: HTTPConnection) -> bool:
        """The peer is this machine and no proxy says it forwarded the request."""
        peer = conn.client.host if conn.client else ""
        return _is_loopback(peer) and not forwarded(conn.scope)

    # --- sessions and tokens ----------------------------------------------------------------------

    def _mac(self, text: str) -> str:
        return hmac.new(self._key, text.encode(), hashlib.sha256).hexdigest()

    def new_session(self, *, signed_in: bool = False) -> Session:
        expires = int(time.time()) + self._lifetime
        return Session(sid=secrets.token_urlsafe(18), signed_in=signed_in, expires=expires)

    def cookie(self, session: Session) -> str:
        body = f"{session.sid}.{int(session.signed_in)}.{session.expires}"
        return f"{body}.{self._mac(body)}"

    def session(self, conn: HTTPConnection) -> Session | None:
        """The request's session when its cookie is ours and not expired."""
        raw = conn.cookies.get(COOKIE, "")
        body, _, mac = raw.rpartition(".")
        if not body or not _same(mac, self._mac(body)):
            return None
        sid, signed, expires = [*body.split("."), "", "", ""][:3]
        if not expires.isdigit() or int(expires) < time.time():
            return None
        return Session(sid=sid, signed_in=signed == "1", expires=int(expires))

    def csrf(self, session: Session) -> str:
        """The session's CSRF token, what the page sends back with every post."""
        return self._mac(f"csrf.{session.sid}")

    def csrf_ok(self, conn: HTTPConnection, given: str | None) -> bool:
        session = self.session(conn)
        return session is not None and bool(given) and _same(str(given), self.csrf(session))

    def token_ok(self, given: str) -> bool:
        return self._token is not None and _same(given, self._token)

    # --- what the request may do ------------------------------------------------------------------

    def may_review(self, conn: HTTPConnection) -> bool:
        """Read the cards and act on them: signed in when sign-in is on, else this machine."""
        if self.sign_in:
            session = self.session(conn)
            return session is not None and session.signed_in
        return self.is_local(conn)

    def secure_cookie(self, conn: HTTPConnection) -> bool:
        """Mark the cookie ``Secure`` when the browser reached us over HTTPS (directly, or
        through a proxy that says so)."""
        return conn.url.scheme == "https" or conn.headers.get("x-forwarded-proto") == "https"
