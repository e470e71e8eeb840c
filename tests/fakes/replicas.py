"""A deployment on one machine: ``replique run`` processes, a load balancer in front, and a gate
on the database connection that can be shut to play a store outage.

Used by the replica tests (tests/replicas) and the channels benchmark. The processes are real
``replique run`` processes (the command an operator runs), configured only through the
environment and ``replique.yml``, as in production.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import re
import signal
import sys
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from aiohttp import web

__all__ = ["Balancer", "Replica", "TcpGate", "replica", "replicas"]

LISTENING = re.compile(r"http://127\.0\.0\.1:(\d+)")
REPLIQUE = Path(sys.executable).parent / "replique"


@dataclass
class Replica:
    """One ``replique run`` process."""

    process: asyncio.subprocess.Process
    url: str
    log: list[str] = field(default_factory=list)

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind, as when a machine or a container dies."""
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()

    async def stop(self) -> int:
        """SIGTERM, as an orchestrator stops a process; returns its exit code."""
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), timeout=30)
            except TimeoutError:
                self.kill()
        return await self.process.wait()


async def _drain(stream: asyncio.StreamReader, into: list[str]) -> None:
    """Read a process's output to the end, so a full pipe never blocks it."""
    while line := await stream.readline():
        into.append(line.decode(errors="replace").rstrip())


@contextlib.asynccontextmanager
async def replica(env: Mapping[str, str], *, timeout: float = 120.0) -> AsyncIterator[Replica]:
    """``replique run`` with ``env`` added to this process's environment; yields once it
    serves (models loaded), and stops it (SIGTERM) on exit unless it was killed."""
    process = await asyncio.create_subprocess_exec(
        str(REPLIQUE),
        "run",
        env={**os.environ, "REPLIQUE_LANG": "en", "REPLIQUE_PORT": "0", **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    assert process.stdout is not None
    log: list[str] = []
    url = None
    try:
        while True:
            line = (await asyncio.wait_for(process.stdout.readline(), timeout=timeout)).decode()
            if not line:
                raise RuntimeError("replique run stopped before it was ready:\n" + "\n".join(log))
            log.append(line.rstrip())
            if found := LISTENING.search(line):
                url = found.group(0)
            if "ready" in line and url:
                break
    except BaseException:
        process.kill()
        await process.wait()
        raise
    drain = asyncio.create_task(_drain(process.stdout, log))
    running = Replica(process=process, url=url, log=log)
    try:
        yield running
    finally:
        await running.stop()
        await drain


@contextlib.asynccontextmanager
async def replicas(env: Mapping[str, str], n: int) -> AsyncIterator[list[Replica]]:
    """``n`` replicas with the same environment (started together, as a rollout does)."""
    async with contextlib.AsyncExitStack() as stack:
        started = await asyncio.gather(*(stack.enter_async_context(replica(env)) for _ in range(n)))
        yield list(started)


class Balancer:
    """A round-robin HTTP load balancer: each request goes to the next replica; a replica that
    refuses the connection is skipped for that request (as nginx's ``proxy_next_upstream
    error``), so a dead replica costs nothing but its in-flight requests."""

    def __init__(self, backends: Sequence[str] = ()) -> None:
        self.backends = list(backends)
        self._turn = itertools.count()
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self.port = 0
        #: Requests answered per backend URL.
        self.served: dict[str, int] = {}

    async def __aenter__(self) -> Balancer:
        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _forward(self, request: web.Request) -> web.Response:
        assert self._session is not None
        body = await request.read()
        headers = {
            k: v for k, v in request.headers.items() if k.lower() not in ("host", "content-length")
        }
        for _ in range(len(self.backends)):
            backend = self.backends[next(self._turn) % len(self.backends)]
            try:
                async with self._session.request(
                    request.method, backend + request.path_qs, data=body, headers=headers
                ) as answer:
                    payload = await answer.read()
                    self.served[backend] = self.served.get(backend, 0) + 1
                    return web.Response(
                        status=answer.status,
                        body=payload,
                        content_type=answer.content_type,
                    )
            except aiohttp.ClientConnectionError:
                continue  # that replica is gone: the next one takes the request
        return web.Response(status=502, text="no replica answered")


class TcpGate:
    """A TCP forwarder in front of the database: ``shut()`` cuts every open connection and
    refuses new ones until ``open()``, as an outage or a failover does."""

    def __init__(self, host: str, port: int) -> None:
        self._target = (host, port)
        self._server: asyncio.Server | None = None
        self._links: set[asyncio.StreamWriter] = set()
        self.is_open = True
        self.port = 0

    async def __aenter__(self) -> TcpGate:
        self._server = await asyncio.start_server(self._link, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.shut()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def shut(self) -> None:
        self.is_open = False
        for writer in list(self._links):
            writer.transport.abort()
        self._links.clear()

    def open(self) -> None:
        self.is_open = True

    async def _link(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not self.is_open:
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self._target)
        except OSError:
            writer.transport.abort()
            return
        self._links.update((writer, up_writer))

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError, asyncio.IncompleteReadError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.transport.abort()

        try:
            await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        finally:
            self._links.discard(writer)
            self._links.discard(up_writer)
