"""Configuration: secrets from the environment, everything else from ``replique.yml``.

Two sources, on purpose: ``Settings`` reads only environment variables (tokens, secrets, URLs —
never written to a committed file), and ``AppConfig`` is the brand's ``replique.yml`` (brand,
reviewers, channels, catalogue, policies). With no ``replique.yml`` Réplique runs the bundled
demo brand, so ``make run`` works on a fresh clone.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import ConfigError, Joined, Words

__all__ = [
    "RESOURCES",
    "AppConfig",
    "BrandConfig",
    "Catalog",
    "OfferConfig",
    "OrdersConfig",
    "PolicyConfig",
    "Product",
    "ReviewConfig",
    "ServerConfig",
    "Settings",
    "WebConfig",
    "load_catalog",
    "load_config",
    "load_settings",
]

#: The languages Réplique ships an analyser, templates and training data for.
SHIPPED_LANGUAGES = ("fr", "en")
#: Files shipped with the package: the demo ``replique.yml`` and ``catalog.yml``.
RESOURCES = Path(__file__).parent / "resources"
#: Where the project keeps its runtime files (SQLite store, logs) unless told otherwise.
VAR_DIR = Path("var")


class Settings(BaseSettings):
    """The environment variables (docs/configuration.md). Secrets are ``SecretStr``: they never
    print or log."""

    # An empty variable (`SLACK_BOT_TOKEN=` in an env file) is unset, not an empty secret.
    model_config = SettingsConfigDict(
        env_prefix="", case_sensitive=False, extra="ignore", env_ignore_empty=True
    )

    telegram_bot_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str | None = None
    database_url: str | None = None
    replique_config: Path | None = None
    replique_host: str = "127.0.0.1"
    replique_port: int = Field(default=8080, ge=0, le=65535)
    #: Serve the local web playground: unset means "when no platform token is set".
    replique_playground: bool | None = None
    #: Sign-in token of the playground: set, reviewers may sign in from another machine.
    replique_web_token: SecretStr | None = None
    #: Order systems (docs/orders.md): the ``http`` provider's bearer token, Shopify's custom-app
    #: token, WooCommerce's consumer key and secret, and base URL overrides (tests, proxies).
    replique_orders_token: SecretStr | None = None
    shopify_access_token: SecretStr | None = None
    shopify_api_url: str | None = None
    woocommerce_consumer_key: SecretStr | None = None
    woocommerce_consumer_secret: SecretStr | None = None
    woocommerce_api_url: str | None = None

    @property
    def effective_database_url(self) -> str:
        """``DATABASE_URL``, or a SQLite file under ``./var/``."""
        return self.database_url or f"sqlite:///{VAR_DIR / 'replique.db'}"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BrandConfig(_Strict):
    name: str = "Café Boréal"
    #: One sign-off for every language, or one per language code.
    sign_off: str | dict[str, str] = "L'équipe Café Boréal"
    timezone: str = "America/Toronto"
    #: Used when a message is too short to tell its language and the customer is new; by
    #: default the first of ``languages``.
    default_language: str = "fr"
    languages: tuple[str, ...] = ("fr", "en")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(str(Words("config.bad_timezone", zone=value))) from None
        return value

    @field_validator("languages")
    @classmethod
    def _answered_languages(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [lang for lang in value if lang not in SHIPPED_LANGUAGES]
        if unknown or not value:
            shipped = ", ".join(SHIPPED_LANGUAGES)
            raise ValueError(str(Words("config.bad_languages", languages=value, shipped=shipped)))
        return value

    @model_validator(mode="before")
    @classmethod
    def _default_language_follows_languages(cls, data: Any) -> Any:
        """A brand that answers only in English defaults to English, not to French."""
        if isinstance(data, dict) and "default_language" not in data:
            languages = data.get("languages")
            if isinstance(languages, list | tuple) and languages:
                return {**data, "default_language": languages[0]}
        return data

    @model_validator(mode="after")
    def _default_is_answered(self) -> BrandConfig:
        if self.default_language not in self.languages:
            languages = ", ".join(self.languages)
            raise ValueError(
                str(
                    Words(
                        "config.bad_default_language",
                        language=self.default_language,
                        languages=languages,
                    )
                )
            )
        return self

    def sign_off_for(self, language: str) -> str:
        if isinstance(self.sign_off, str):
            return self.sign_off
        return self.sign_off.get(language) or next(iter(self.sign_off.values()), self.name)


class Reviewers(_Strict):
    telegram: tuple[int, ...] = ()
    slack: tuple[str, ...] = ()


class ReviewConfig(_Strict):
    telegram_chat_id: int | None = None
    slack_channel: str | None = None
    reviewers: Reviewers = Reviewers()
    #: A draft nobody decided on within this many hours expires (its card says so); 0 never.
    expire_after_hours: float = Field(default=72.0, ge=0)
    #: A stored message or reviewer action a process took is its own for this long; if the
    #: process dies, another takes the work over once it runs out.
    work_lease_seconds: float = Field(default=60.0, ge=2)
    #: Variants are ranked by what reviewers did with them (docs/learning.md); the figures are
    #: read from the store again after this many seconds.
    ranking_refresh_seconds: float = Field(default=60.0, ge=0)
    #: Seed of the ranking's random draws: the same history and seed give the same order.
    ranking_seed: int = 0
    #: Offer the closest reply approved before (same intent and language) as one more version.
    earlier_replies: bool = True
    #: The anti-blast guard: a draft near-identical to what went to more than ``blast_cap``
    #: other customers in the last ``blast_window_hours`` needs a second confirmation (0: off).
    blast_window_hours: float = Field(default=24.0, gt=0)
    blast_cap: int = Field(default=20, ge=0)
    #: How alike two texts must be to count as the same text (estimated Jaccard similarity of
    #: their word shingles, 0 to 1).
    blast_similarity: float = Field(default=0.8, gt=0, le=1)


class SlackConfig(_Strict):
    customer_channels: tuple[str, ...] = ()


class TelegramConfig(_Strict):
    #: Groups whose messages come from customers (private chats with the bot always do; any
    #: other group the bot is added to is ignored).
    customer_chats: tuple[int, ...] = ()


class OfferConfig(_Strict):
    """The one offer a promotional draft may mention (wording stays in the templates)."""

    enabled: bool = True
    code: str = "MERCI10"
    discount: str = "10 %"


class PolicyConfig(_Strict):
    #: A customer receives at most one offer in this many days.
    offer_cooldown_days: int = Field(default=30, ge=0)
    #: Below this intent confidence the message becomes ``other`` and goes to a person.
    #: None: use the threshold calibrated with the model (its ``meta.json``).
    min_intent_confidence: float | None = Field(default=None, ge=0.0, le=1.0)
    max_drafts: int = Field(default=3, ge=1, le=3)
    #: Flood control: a customer who sends this many messages within ``flood_seconds`` has the
    #: next ones held ``flood_delay_seconds``, so one draft answers the burst (none is dropped).
    flood_messages: int = Field(default=4, ge=1)
    flood_seconds: float = Field(default=30.0, gt=0)
    flood_delay_seconds: float = Field(default=3.0, ge=0)


class PrivacyConfig(_Strict):
    #: Customer data older than this many days is erased by the service's sweep (messages,
    #: drafts, decisions, cards, delivered replies, event ids); 0 keeps it until forgotten.
    retention_days: int = Field(default=0, ge=0)


class WebConfig(_Strict):
    """Who may use the playground's pages and API (docs/security.md)."""

    #: Host names the pages answer to (DNS-rebinding guard); empty: 127.0.0.1, localhost, [::1]
    #: and ``REPLIQUE_HOST`` when it names one address.
    allowed_hosts: tuple[str, ...] = ()
    #: Origins allowed to post (``scheme://host[:port]``); empty: ``http://`` each allowed host
    #: on the service's own port.
    allowed_origins: tuple[str, ...] = ()
    #: Hours a web session (its cookie and CSRF token) lasts.
    session_hours: float = Field(default=12.0, gt=0, le=24 * 30)


class ServerConfig(_Strict):
    """Limits of the HTTP server (docs/security.md)."""

    #: Largest request body, in bytes (413 above).
    max_body_bytes: int = Field(default=1 << 20, ge=1024)
    #: Requests per second per source address once the burst is spent (429 above); 0 turns the
    #: rate limit off.
    rate_per_second: float = Field(default=20.0, ge=0)
    rate_burst: int = Field(default=200, ge=1)
    #: Peers whose ``X-Forwarded-For`` names the client (the reverse proxy).
    trusted_proxies: tuple[str, ...] = ("127.0.0.1", "::1")
    #: Seconds a client has to send a request's headers; an idle keep-alive connection is
    #: closed after ``keep_alive_seconds``.
    header_timeout_seconds: float = Field(default=10.0, gt=0)
    keep_alive_seconds: int = Field(default=5, ge=1)


OrderProviderName = Literal["shopify", "woocommerce", "http", "csv"]


class OrdersConfig(_Strict):
    """Where order facts come from (docs/orders.md); no ``provider``: drafts without them."""

    provider: OrderProviderName | None = None
    #: http: the order URL with ``{order_number}``; woocommerce: the shop's address.
    url: str | None = None
    #: http: the URL of a customer's orders with ``{email}`` (most recent first).
    email_url: str | None = None
    #: shopify: the shop's domain ("cafe-boreal.myshopify.com").
    shop: str | None = None
    #: shopify: the GraphQL Admin API version.
    api_version: str = "2025-01"
    #: csv: the file of orders, relative to replique.yml.
    file: Path | None = None
    #: The whole lookup's time budget; past it, the draft goes out without facts.
    budget_ms: int = Field(default=800, ge=1, le=30_000)
    #: How long an answer (found or not) is reused.
    cache_seconds: float = Field(default=300.0, ge=0)
    #: Failures in a row after which the order system is rested for ``breaker_seconds``.
    breaker_failures: int = Field(default=5, ge=1)
    breaker_seconds: float = Field(default=30.0, ge=0)
    #: Describe an order found by number only to a customer who gave its e-mail.
    require_email: bool = False
    #: A complaint in the last this-many days is referred back to in the next drafts.
    complaint_days: int = Field(default=14, ge=0)
    #: VIP tiers by orders count: {"VIP": 10}; the highest tier reached is shown on the card.
    vip_tiers: dict[str, int] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _provider_has_what_it_needs(self) -> OrdersConfig:
        needs = {"http": "url", "woocommerce": "url", "shopify": "shop", "csv": "file"}
        key = needs.get(self.provider or "")
        if key is not None and not getattr(self, key):
            raise ValueError(str(Words("orders.config_needs", provider=self.provider, key=key)))
        for name in ("url", "email_url"):
            value = getattr(self, name)
            if value and not value.startswith(("http://", "https://")):
                raise ValueError(str(Words("orders.config_bad_url", key=name, url=value)))
        return self


class ModelsConfig(_Strict):
    """Intent/sentiment model directory per language; unset uses the newest model
    ``replique learn`` promoted, else the shipped default."""

    fr: Path | None = None
    en: Path | None = None
    #: How often (seconds) a running service looks for a newer promoted model.
    check_every: float = Field(default=30.0, gt=0)


class AppConfig(_Strict):
    brand: BrandConfig = BrandConfig()
    review: ReviewConfig = ReviewConfig()
    slack: SlackConfig = SlackConfig()
    telegram: TelegramConfig = TelegramConfig()
    offers: OfferConfig = OfferConfig()
    policies: PolicyConfig = PolicyConfig()
    models: ModelsConfig = ModelsConfig()
    privacy: PrivacyConfig = PrivacyConfig()
    web: WebConfig = WebConfig()
    server: ServerConfig = ServerConfig()
    orders: OrdersConfig = OrdersConfig()
    #: Path of catalog.yml, relative to replique.yml.
    catalog: Path | None = Path("catalog.yml")
    #: Folder of reply templates (``fr/``, ``en/``), relative to replique.yml; unset: shipped ones.
    templates: Path | None = None
    #: Folder that relative paths above are resolved against (the folder of replique.yml).
    base_dir: Path = Field(default=Path("."), exclude=True)

    def resolve(self, path: Path) -> Path:
        return path if path.is_absolute() else self.base_dir / path

    @cached_property
    def catalog_data(self) -> Catalog:
        """The brand's products; a catalogue file that does not exist is an empty catalogue (every
        key of replique.yml is optional, ``catalog.yml`` included)."""
        if self.catalog is None or not self.has_catalog_file:
            return Catalog()
        return load_catalog(self.resolve(self.catalog))

    @property
    def has_catalog_file(self) -> bool:
        """Whether the catalogue file named by ``catalog`` exists (none is an empty catalogue)."""
        return self.catalog is not None and self.resolve(self.catalog).exists()

    @cached_property
    def templates_dir(self) -> Path:
        if self.templates is None:
            # bot/templates is the top-level templates/ folder (a link), so the wheel carries it.
            return Path(__file__).resolve().parent / "templates"
        return self.resolve(self.templates)


class Product(_Strict):
    name: str
    aliases: tuple[str, ...] = ()
    url: str | None = None
    price: Decimal | None = None

    @field_validator("name")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            # pydantic words the error as it validates: at load, for the person running a command.
            raise ValueError(str(Words("config.product_needs_name")))
        return value.strip()


class Catalog(_Strict):
    currency: str = "CAD"
    products: tuple[Product, ...] = ()


def _read_yaml(path: Path, what: str) -> dict[str, Any]:
    """The mapping in ``path``; ``what`` is the message key naming the file for the user."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("config.not_found", what=Words(what), path=path) from None
    except IsADirectoryError:
        raise ConfigError("config.is_a_folder", what=Words(what), path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise ConfigError("config.unreadable", what=Words(what), path=path, error=reason) from None
    except yaml.YAMLError as exc:
        raise ConfigError("config.bad_yaml", what=Words(what), path=path, error=exc) from None
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError("config.not_mapping", what=Words(what), path=path)
    return raw


def _explain(exc: ValidationError, path: Path) -> ConfigError:
    """Every problem pydantic found, each with the key it concerns (pydantic's own words)."""
    top = Words("config.top_level")
    # pydantic prefixes the messages of validators with "Value error, ": ours stand alone.
    problems = Joined(
        Joined(
            [".".join(str(p) for p in err["loc"]) or top, err["msg"].removeprefix("Value error, ")],
            ": ",
        )
        for err in exc.errors()
    )
    return ConfigError("config.invalid", path=path, problems=problems)


def load_catalog(path: Path) -> Catalog:
    try:
        return Catalog.model_validate(_read_yaml(path, "config.what_catalog"))
    except ValidationError as exc:
        raise _explain(exc, path) from None


def load_settings() -> Settings:
    """The environment's settings; ConfigError naming the variable when one is not valid."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = Joined(
            Joined(
                [
                    ".".join(str(p) for p in err["loc"]).upper(),
                    err["msg"].removeprefix("Value error, "),
                ],
                ": ",
            )
            for err in exc.errors()
        )
        raise ConfigError("config.bad_environment", problems=problems) from None


def load_config(path: Path | None = None, settings: Settings | None = None) -> AppConfig:
    """Load ``replique.yml``: ``path``, else ``REPLIQUE_CONFIG``, else ``./replique.yml``, else the
    bundled demo brand."""
    settings = settings or load_settings()
    explicit = path or settings.replique_config
    if explicit is None:
        local = Path("replique.yml")
        path = local if local.exists() else RESOURCES / "replique.yml"
    else:
        path = explicit
    raw = _read_yaml(path, "config.what_config")
    try:
        return AppConfig.model_validate({**raw, "base_dir": path.resolve().parent})
    except ValidationError as exc:
        raise _explain(exc, path) from None
