"""Live updates for the open pages: every card, message and reply goes to every listener.

Each page holds one server-sent-events stream; the hub gives it a queue. A page that falls too
far behind (its queue is full) is dropped rather than slowing everyone: its EventSource
reconnects and reloads the state, which loses nothing since the state is on the server.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Final

__all__ = ["EventHub", "PageEvent"]

#: Events a listener may have waiting before it is dropped.
_BACKLOG: Final = 500


@dataclass(frozen=True, slots=True)
class PageEvent:
    """One update for the pages: ``kind`` is the SSE event name, ``data`` its JSON body."""

    kind: str
    data: dict[str, Any]


class EventHub:
    """Fans page events out to every open stream; ``close`` ends them all (service stop)."""

    __slots__ = ("_closed", "_listeners")

    def __init__(self) -> None:
        self._listeners: set[asyncio.Queue[PageEvent | None]] = set()
        self._closed = False

    @property
    def listeners(self) -> int:
        return len(self._listeners)

    def publish(self, event: PageEvent) -> None:
        for queue in list(self._listeners):
            try:
                queue.put_nowait(event)
            except asyncio.QueueFull:
                self._drop(queue)

    def _drop(self, queue: asyncio.Queue[PageEvent | None]) -> None:
        self._listeners.discard(queue)
        # Make room for the end marker so the stream ends now instead of at its next event.
        while not queue.empty():
            queue.get_nowait()
        queue.put_nowait(None)

    async def listen(self, *, first: PageEvent | None = None) -> AsyncIterator[PageEvent]:
        """``first``, then the events published from now on, until the hub closes or drops us.

        The listener is registered before ``first`` is yielded: a page that reloads its state when
        it sees ``first`` cannot miss an event published in between.
        """
        if self._closed:
            return
        queue: asyncio.Queue[PageEvent | None] = asyncio.Queue(maxsize=_BACKLOG)
        self._listeners.add(queue)
        try:
            if first is not None:
                yield first
            while (event := await queue.get()) is not None:
                yield event
        finally:
            self._listeners.discard(queue)

    def close(self) -> None:
        """End every stream (the service is stopping); later listeners end at once."""
        self._closed = True
        for queue in list(self._listeners):
            try:
                # After what is already queued, so a page sees every event published before.
                queue.put_nowait(None)
                self._listeners.discard(queue)
            except asyncio.QueueFull:
                self._drop(queue)
