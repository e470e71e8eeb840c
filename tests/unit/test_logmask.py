"""Logs mask customers' e-mails, phone numbers and order numbers, wherever they come from."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from bot import logmask
from bot.service import configure_logging


@pytest.fixture
def captured() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger writing to a string through a handler that ``install`` filters."""
    out = io.StringIO()
    logger = logging.getLogger("replique.test.logmask")
    logger.propagate = False
    handler = logging.StreamHandler(out)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logmask.install(logger)
    try:
        yield logger, out
    finally:
        logger.removeHandler(handler)


@pytest.mark.parametrize(
    ("said", "shown"),
    [
        ("write to julie.tremblay+shop@example.co.uk now", "write to [email] now"),
        ("call me at +1 (514) 555-0199", "call me at [phone]"),
        ("mon numéro : 06 12 34 56 78.", "mon numéro : [phone]."),
        ("ma commande n° 48213 n'est pas arrivée", "ma commande n° [order] n'est pas arrivée"),
        ("order number: AB-12345 is late", "order number: [order] is late"),
        ("where is #4821?", "where is #[order]?"),
        ("cmd 7781 et 5145550199", "cmd [order] et [phone]"),
    ],
)
def test_mask_hides_contact_details(said: str, shown: str) -> None:
    assert logmask.mask(said) == shown


def test_mask_leaves_ordinary_log_lines_alone() -> None:
    for line in (
        "review desk: card 12 posted on slack in 0.25 s (3 drafts, version 2)",
        "expired drafts created before 2026-12-07 15:04:05+00:00",
    ):
        assert logmask.mask(line) == line


def test_messages_arguments_and_tracebacks_are_masked(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, out = captured
    logger.warning("customer %s wrote about order %s", "julie@example.org", "88123")
    try:
        raise RuntimeError("platform refused: 'call 514-555-0199 about #4821'")
    except RuntimeError:
        logger.exception("delivery failed")
    logged = out.getvalue()
    assert "julie@example.org" not in logged
    assert "88123" not in logged
    assert "514-555-0199" not in logged
    assert "4821" not in logged
    assert "customer [email] wrote about order [order]" in logged
    assert "RuntimeError: platform refused: 'call [phone] about #[order]'" in logged
    assert "Traceback" in logged  # the traceback itself is kept


def test_a_database_error_with_customer_text_leaves_no_trace_in_the_log(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    # Even an engine that shows its parameters (the store's never do) is caught by the mask.
    engine = create_engine("sqlite://")
    with pytest.raises(SQLAlchemyError) as raised, engine.connect() as conn:
        conn.execute(
            text("INSERT INTO missing (text) VALUES (:t)"),
            {"t": "je suis julie@example.org, commande 55120, tel 0612345678"},
        )
    logger, out = captured
    logger.error("store failed: %s", raised.value, exc_info=raised.value)
    logged = out.getvalue()
    assert "no such table: missing" in logged
    for secret in ("julie@example.org", "55120", "0612345678"):
        assert secret not in logged


def test_configure_logging_installs_the_mask_on_the_root_handlers() -> None:
    root = logging.getLogger()
    before = list(root.handlers)
    added = logging.StreamHandler(io.StringIO())
    root.addHandler(added)
    try:
        configure_logging()
        assert any(isinstance(f, logmask.MaskingFilter) for f in added.filters)
        configure_logging()  # twice is once
        assert sum(isinstance(f, logmask.MaskingFilter) for f in added.filters) == 1
    finally:
        root.removeHandler(added)
        for handler in root.handlers:
            if handler not in before:
                root.removeHandler(handler)
