"""The running service: store, replier, review desk, outbox, channel adapters and one HTTP server.

``build_service`` decides what runs from the environment (``Settings``) and ``replique.yml``:

- Telegram when ``TELEGRAM_BOT_TOKEN`` is set (long polling, or webhook on ``/telegram/webhook``
  when ``TELEGRAM_WEBHOOK_URL`` is set);
- Slack when ``SLACK_BOT_TOKEN`` is set (Socket Mode with ``SLACK_APP_TOKEN``, else HTTP on
  ``/slack/events``);
- the local web playground when no platform token is set, or when ``REPLIQUE_PLAYGROUND=1``.

Adapters are imported only when enabled, so a Slack-only deployment never loads Telegram code.
The wiring is explicit, here and nowhere else: each adapter is handed to the outbox as the
customer channel of its platform, and to the desk as a review surface when it is one.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import ipaddress
import logging
import signal
import socket
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import uvicorn
from starlette.routing import BaseRoute

from bot import logmask
from bot.config import AppConfig, Settings
from bot.domain import Platform
from bot.drafting.replier import Replier
from bot.errors import ServiceError
from bot.i18n import t
from bot.learning.promoted import PromotedModels
from bot.nlp.analyser import Analyser
from bot.review.desk import ReviewDesk, process_name
from bot.review.leader import LeaderRole
from bot.review.outbox import OutboxSender
from bot.review.ports import CustomerChannel, ReviewSurface
from bot.server import create_app, uvicorn_config
from bot.store import Store

__all__ = [
    "ChannelAdapter",
    "Leads",
    "Service",
    "build_service",
    "configure_logging",
    "running_service",
    "serve",
]

log = logging.getLogger(__name__)


@runtime_checkable
class ChannelAdapter(Protocol):
    """A platform adapter's life in the service: routes on the shared HTTP server, start, stop.

    An adapter is also the ``CustomerChannel`` of its platform, and a ``ReviewSurface`` when
    ``reviews`` is true (bot/review/ports.py).
    """

    platform: Platform

    @property
    def reviews(self) -> bool:
        """Whether reviewers decide on this platform too (a review desk is configured)."""
        ...

    def routes(self) -> Sequence[BaseRoute]:
        """Starlette routes this adapter serves (webhooks, the playground); may be empty."""
        ...

    async def start(self) -> None:
        """Connect (long polling, Socket Mode, webhooks registration…); returns once running."""
        ...

    async def stop(self) -> None:
        """Disconnect and release what ``start`` took; safe to call twice."""
        ...


@runtime_checkable
class Leads(Protocol):
    """An adapter with a job only one process may run at a time (Telegram's long polling)."""

    async def lead(self) -> None:
        """Run the job until cancelled (this process stopped leading)."""
        ...


class _QuietServer(uvicorn.Server):
    """uvicorn without its signal handlers: ``replique run`` handles SIGINT/SIGTERM for the
    whole service (adapters and desk included), and tests run several servers in one process."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@dataclass(slots=True)
class Service:
    """Everything ``replique run`` starts, with one ``start`` and one ``stop``."""

    settings: Settings
    config: AppConfig
    store: Store
    desk: ReviewDesk
    adapters: list[ChannelAdapter]
    #: The role one process holds for all (Telegram polling, the sweeps).
    leader: LeaderRole
    owns_store: bool = True
    _server: _QuietServer | None = field(default=None, init=False)
    _serving: asyncio.Task[None] | None = field(default=None, init=False)
    _port: int | None = field(default=None, init=False)

    @property
    def url(self) -> str:
        """``http://host:port`` once started (the real port when 0 was asked for)."""
        if self._port is None:
            raise RuntimeError("the service is not started")
        host = self.settings.replique_host
        shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
        return f"http://{shown}:{self._port}"

    @property
    def playground(self) -> bool:
        return any(adapter.platform == "web" for adapter in self.adapters)

    async def start(self) -> None:
        """Serve HTTP first (webhooks must answer before they are registered), then connect the
        adapters, then start the desk (its outbox needs the adapters' channels)."""
        routes = [route for adapter in self.adapters for route in adapter.routes()]
        app = create_app(
            store=self.store,
            routes=routes,
            adapters=lambda: [adapter.platform for adapter in self.adapters],
            process=lambda: {"worker": self.desk.worker, "leader": self.leader.leading},
            limits=self.config.server,
        )
        config = uvicorn_config(
            app,
            host=self.settings.replique_host,
            port=self.settings.replique_port,
            limits=self.config.server,
        )
        # Bound here rather than by uvicorn, whose failure is a logged traceback and an exit: a
        # port in use must be one line that says which port, and what to do.
        listening = bind_socket(self.settings.replique_host, self.settings.replique_port)
        server = _QuietServer(config)
        self._server = server
        self._serving = asyncio.create_task(server.serve(sockets=[listening]), name="replique-http")
        while not server.started:
            if self._serving.done():
                await self._serving  # raises the reason it could not start
                raise RuntimeError("the HTTP server stopped before it started")
            await asyncio.sleep(0.01)
        self._port = int(listening.getsockname()[1])
        for adapter in self.adapters:
            await adapter.start()
        await self.desk.start()
        await self.leader.start()

    async def stop(self) -> None:
        """Stop taking new work, finish what is in flight, and close the store."""
        await self.leader.stop()
        for adapter in reversed(self.adapters):
            try:
                await adapter.stop()
            except Exception:
                log.exception("stopping the %s adapter failed", adapter.platform)
        await self.desk.stop()
        if self._server is not None:
            self._server.should_exit = True
        if self._serving is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._serving
            self._serving = None
        self.desk.close()
        if self.owns_store:
            self.store.close()

    async def warm_up(self) -> None:
        """Load the analyser's models now, so the first customer does not wait for them."""
        await self.desk.warm_up()


def bind_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host``:``port`` for the HTTP server; ServiceError when it cannot be."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except (socket.gaierror, OverflowError) as exc:
        raise ServiceError("run.bad_address", host=host, port=port, reason=exc) from None
    listening = socket.socket(family, kind, proto)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listening.bind(address)
    except OSError as exc:
        listening.close()
        key = "run.port_taken" if exc.errno == errno.EADDRINUSE else "run.cannot_listen"
        raise ServiceError(key, host=host, port=port, reason=exc.strerror or exc) from None
    return listening


def playground_enabled(settings: Settings) -> bool:
    """The playground runs when asked to, or when no platform is configured."""
    if settings.replique_playground is not None:
        return settings.replique_playground
    return settings.telegram_bot_token is None and settings.slack_bot_token is None


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def build_service(
    *,
    settings: Settings,
    config: AppConfig,
    store: Store | None = None,
    analyser: Analyser | None = None,
) -> Service:
    """Assemble the service the settings ask for (nothing is started yet). ``store`` and
    ``analyser``, when given, are used instead of new ones (tests and benchmarks keep theirs)."""
    owns_store = store is None
    store = store or Store.open(settings.effective_database_url)
    worker = process_name()
    outbox = OutboxSender(store=store, worker=worker)
    # The newest model "replique learn" promoted, picked up while the service runs.
    analyser = analyser or Analyser(config, learned=PromotedModels(store))
    replier = Replier(config, analyser=analyser)
    desk = ReviewDesk(config=config, store=store, replier=replier, outbox=outbox, worker=worker)
    leader = LeaderRole(store=store, holder=worker)
    leader.add("sweep", desk.sweep_forever)
    adapters: list[ChannelAdapter] = []
    if settings.telegram_bot_token is not None:
        from bot.channels.telegram import TelegramAdapter

        adapters.append(TelegramAdapter(desk=desk, settings=settings, config=config))
    if settings.slack_bot_token is not None:
        from bot.channels.slack import SlackAdapter

        adapters.append(SlackAdapter(desk=desk, settings=settings, config=config))
    if playground_enabled(settings):
        from bot.channels.web import WebAdapter
        from bot.web.access import WebAccess

        if is_loopback(settings.replique_host) or settings.replique_web_token is not None:
            # Who may review is decided per request by the web channel (bot/web/access.py):
            # this machine only, or whoever signs in with REPLIQUE_WEB_TOKEN.
            desk.allow_local_reviewers("web")
        else:
            # The playground has no sign-in: reviewing from it is for this machine only.
            log.warning(
                "the playground is served on %s: its review buttons are disabled (they work "
                "only on 127.0.0.1, where nobody else can reach them)",
                settings.replique_host,
            )
        access = WebAccess(
            config=config.web,
            listen_host=settings.replique_host,
            token=settings.replique_web_token,
        )
        adapters.append(WebAdapter(desk=desk, store=store, config=config, access=access))
    for adapter in adapters:
        wire(adapter, desk=desk, outbox=outbox, leader=leader)
    return Service(
        settings=settings,
        config=config,
        store=store,
        desk=desk,
        adapters=adapters,
        leader=leader,
        owns_store=owns_store,
    )


def wire(
    adapter: ChannelAdapter,
    *,
    desk: ReviewDesk,
    outbox: OutboxSender,
    leader: LeaderRole | None = None,
) -> None:
    """Hand ``adapter`` to the outbox as its platform's customer channel, to the desk as a
    review surface when reviewers decide there, and its leader job (Telegram's long polling) to
    the leader role."""
    if isinstance(adapter, CustomerChannel):
        outbox.add_channel(adapter)
    if adapter.reviews and isinstance(adapter, ReviewSurface):
        desk.add_surface(adapter)
    if leader is not None and isinstance(adapter, Leads):
        leader.add(f"{adapter.platform}-lead", adapter.lead)


@contextlib.asynccontextmanager
async def running_service(
    *,
    settings: Settings,
    config: AppConfig,
    store: Store | None = None,
    analyser: Analyser | None = None,
) -> AsyncIterator[Service]:
    """A started service, stopped on exit (for tests, benchmarks and ``replique run``)."""
    service = build_service(settings=settings, config=config, store=store, analyser=analyser)
    await service.start()
    try:
        yield service
    finally:
        await service.stop()


def serve(*, settings: Settings, config: AppConfig, echo: Callable[[str], None] = print) -> None:
    """``replique run``: start everything, say where it listens, run until SIGINT/SIGTERM."""
    configure_logging()
    asyncio.run(_serve(settings=settings, config=config, echo=echo))


async def _serve(*, settings: Settings, config: AppConfig, echo: Callable[[str], None]) -> None:
    service = build_service(settings=settings, config=config)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await service.start()
    except BaseException:
        # Whatever did start (the HTTP server, an adapter) stops before the error is told.
        await service.stop()
        raise
    try:
        names = ", ".join(a.platform for a in service.adapters) or "-"
        echo(t("run.listening", url=service.url, adapters=names))
        if service.playground:
            echo(t("run.playground", url=service.url))
        if not service.desk.board.has_surfaces:
            echo(t("run.no_review_desk"))
        await service.warm_up()
        echo(t("run.ready"))
        await stop.wait()
    finally:
        echo(t("run.stopping"))
        await service.stop()


def configure_logging() -> None:
    """Readable logs on standard error, without secrets or customers' contact details.

    httpx (under python-telegram-bot and the Slack SDK) logs every request URL at INFO, and a
    Telegram URL contains the bot token: those loggers stay at WARNING.
    """
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for noisy in (
        "httpx",
        "httpcore",
        "telegram.ext.Updater",
        "slack_bolt",
        "slack_sdk",
        "alembic",
    ):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    logmask.install()
