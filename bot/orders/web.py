"""What the HTTP providers share: one ``httpx.Client`` per provider, and a JSON answer or a
``ProviderFailure`` (network error, timeout, an answer that is not JSON, a status not expected).
"""

from __future__ import annotations

from typing import Any

import httpx

from bot.orders.base import TIMED_OUT, ProviderFailure

__all__ = ["JsonClient"]


class JsonClient:
    """GETs and POSTs JSON with a timeout; ``None`` for a 404 when the caller allows it."""

    __slots__ = ("_client",)

    def __init__(
        self,
        *,
        headers: dict[str, str],
        timeout: float,
        auth: tuple[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._client = httpx.Client(
            headers={"Accept": "application/json", **headers},
            timeout=timeout,
            auth=auth,
            transport=transport,
            follow_redirects=False,
        )

    def get(self, url: str, *, params: dict[str, str] | None = None) -> Any | None:
        """The JSON of a 200 answer; None for a 404."""
        return self._send("GET", url, params=params)

    def post(self, url: str, payload: dict[str, Any]) -> Any | None:
        return self._send("POST", url, json=payload)

    def _send(self, method: str, url: str, **kwargs: Any) -> Any | None:
        try:
            response = self._client.request(method, url, **kwargs)
        except httpx.TimeoutException:
            raise ProviderFailure(TIMED_OUT) from None
        except httpx.HTTPError as exc:
            raise ProviderFailure(f"unreachable: {type(exc).__name__}") from None
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise ProviderFailure(f"HTTP {response.status_code}")
        try:
            return response.json()
        except ValueError:
            raise ProviderFailure("the answer is not JSON") from None

    def close(self) -> None:
        self._client.close()
