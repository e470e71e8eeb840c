"""The developer console (what `make run` opens today), driven through a pipe like a person."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.domain import DraftStatus
from bot.store import Store

REPLIQUE = str(Path(sys.executable).parent / "replique")


def test_customer_writes_reviewer_sends_and_it_is_stored(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'console.db'}"
    session = "\n".join(
        [
            "Bonjour, ma commande 10023 n'est toujours pas arrivée",
            "1",
            "/name Sam",
            "hi, can I talk to a real person please?",
            "d",
            "/quit",
        ]
    )
    result = subprocess.run(
        [REPLIQUE, "console"],
        input=session + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DATABASE_URL": url},
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "order_status" in out
    assert "sent to the customer" in out
    assert "10023" in out.split("sent to the customer", 1)[1]
    assert "human_agent" in out
    assert "Drafts discarded" in out

    store = Store.open(url)
    try:
        statuses = [store.get_draft(i) for i in range(1, 10)]
        decided = [d.status for d in statuses if d is not None]
        assert DraftStatus.SENT in decided
        assert DraftStatus.DISCARDED in decided
    finally:
        store.close()
