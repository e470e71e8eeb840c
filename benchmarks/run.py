"""Réplique's benchmarks (``make bench``): prints tables and writes JSON, one section at a time.

Measured, never asserted: the targets are printed next to the figures so a person can judge them,
and nothing here fails because the machine was slow. Sections (``--section NAME`` runs one):

``core`` (the drafting pipeline, results/core.json):
- throughput: ``replique draft --json`` in one process, messages per second once started;
- latency: one message at a time through the analyser and drafter, p50/p99 after warm-up;
- start-up: a fresh ``replique draft --json`` process until its first answer;
- memory: peak resident memory of the throughput process (both languages loaded).

The messages are the shipped evaluation sets of both languages (never trained on), repeated.

``models`` (results/models.json, see benchmarks/models.py): Banking77 ours vs the TF-IDF +
LinearSVC baseline side by side, CLINC150 out-of-scope hand-off, sentiment on public tweets, the
shipped intent models per language.

``external`` (results/external.json, see benchmarks/external.py): every set of the external
evaluation data (public messages nobody here wrote), ours against the TF-IDF + LinearSVC baseline
trained on the same shipped data, in one run; ``--external-sample N`` scores at most N rows per
set for a quick look.

``learning`` (results/learning.json, see benchmarks/learning.py): ``replique learn`` on 2,000
intent fixes: learning time, accuracy before and after on the evaluation set and the held-out
fixes, fresh paraphrases of a family reviewers fixed.

``channels`` (results/channels.json, see benchmarks/channels.py): ``replique run`` against the
fake Telegram and Slack APIs: time from a customer message to its review card (p50, p99) at a
steady rate, and sustained messages per second in a burst, with lost and duplicated cards counted.

``orders`` (results/orders.json, see benchmarks/orders.py): what the order lookup adds to a draft
with a warm cache (p50), how long a hanging order system can hold a draft (the budget), and the
demo brand's sample orders shown in drafts.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bot.config import load_config
from bot.drafting.session import DraftRequest, DraftSession
from bot.training.datasets import TRAINING_DATA, load_examples

ROOT = Path(__file__).resolve().parent.parent

REPLIQUE = Path(sys.executable).parent / "replique"
RESULTS = ROOT / "benchmarks" / "results"
TARGETS = {
    "throughput_msgs_per_s": ">= 2000",
    "latency_p50_ms": "-",
    "latency_p99_ms": "<= 10",
    "startup_s": "<= 3",
    "peak_rss_mb": "<= 500",
}


def messages() -> list[str]:
    texts: list[str] = []
    for lang in ("fr", "en"):
        texts += [e.text for e in load_examples(TRAINING_DATA / lang / "intents_eval.yml")]
    return texts


def jsonl(texts: list[str]) -> bytes:
    lines = [
        json.dumps({"text": t, "customer": {"id": f"c{i % 500}", "name": "Julie"}})
        for i, t in enumerate(texts)
    ]
    return ("\n".join(lines) + "\n").encode()


def startup_seconds() -> float:
    """Wall time of a fresh process answering one message."""
    started = time.perf_counter()
    subprocess.run(
        [str(REPLIQUE), "draft", "--json"],
        input=jsonl(["Bonjour, où est ma commande #4821 ?"]),
        capture_output=True,
        check=True,
    )
    return time.perf_counter() - started


def _timed_run(texts: list[str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        [str(REPLIQUE), "draft", "--json"], input=jsonl(texts), capture_output=True, check=True
    )
    elapsed = time.perf_counter() - started
    answers = result.stdout.decode().splitlines()
    if len(answers) != len(texts):
        raise SystemExit(f"expected {len(texts)} answers, got {len(answers)}")
    return elapsed


def throughput(texts: list[str], repeat: int) -> tuple[float, float, int]:
    """Steady messages per second of one ``draft --json`` process, and its peak RSS in MB.

    Two runs, of N and 2N messages: the difference of their times is what N more messages cost
    once the process has started and loaded both languages.
    """
    small, large = texts * repeat, texts * repeat * 2
    t_small = min(_timed_run(small) for _ in range(2))
    t_large = min(_timed_run(large) for _ in range(2))
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    n = len(large) - len(small)
    return n / max(t_large - t_small, 1e-9), peak_kb / 1024, len(large)


def latency(texts: list[str], rounds: int) -> tuple[float, float]:
    session = DraftSession(load_config())
    for text in texts[:50]:
        session.draft_many([DraftRequest(text)])
    timings = []
    for i in range(rounds):
        text = texts[i % len(texts)]
        started = time.perf_counter()
        session.draft_many([DraftRequest(text)])
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.99) - 1]


# ---------------------------------------------------------------------------------------------
# Section: core (the drafting pipeline) -> benchmarks/results/core.json


def run_core(args: argparse.Namespace) -> None:
    texts = messages()
    startup = min(startup_seconds() for _ in range(3))
    rate, peak_mb, n = throughput(texts, args.repeat)
    p50, p99 = latency(texts, args.rounds)
    results: dict[str, Any] = {
        "throughput_msgs_per_s": round(rate, 1),
        "latency_p50_ms": round(p50, 3),
        "latency_p99_ms": round(p99, 3),
        "startup_s": round(startup, 3),
        "peak_rss_mb": round(peak_mb, 1),
        "messages": n,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
    }
    print(f"{'measure':<24}{'value':>12}  target")
    for key, target in TARGETS.items():
        print(f"{key:<24}{results[key]:>12}  {target}")
    out = args.out or RESULTS / "core.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {out}")


# ---------------------------------------------------------------------------------------------
# Section: models (intent and sentiment accuracy, ours vs the baseline) -> results/models.json


def run_models_section(args: argparse.Namespace) -> None:
    from benchmarks.models import print_models, run_models

    results = run_models(args.models or ())
    results["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version()}
    print_models(results)
    out = RESULTS / "models.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {out}")


# ---------------------------------------------------------------------------------------------
# Section: channels (card latency and throughput through the platforms) -> results/channels.json


def run_channels_section(args: argparse.Namespace) -> None:
    import asyncio

    from benchmarks.channels import print_deployment, print_table
    from benchmarks.channels import run as run_channels

    report = asyncio.run(
        run_channels(
            args.channel_messages,
            args.channel_rate,
            deployment=not args.no_deployment,
            flood_rate=args.flood_rate,
            outage_seconds=args.outage_seconds,
        )
    )
    # Bare drafting in the same run: the service's share of its own pipeline's speed.
    draft_per_second, _, _ = throughput(messages(), 2)
    report["draft_json_per_second"] = round(draft_per_second)
    report["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version()}
    print_table(report["results"])
    if "deployment" in report:
        print_deployment(report["deployment"], draft_per_second=draft_per_second)
    out = RESULTS / "channels.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {out}")


# ---------------------------------------------------------------------------------------------
# Section: external (data nobody here wrote, ours vs the baseline) -> results/external.json


def run_external_section(args: argparse.Namespace) -> None:
    from benchmarks.external import print_external, run_external

    results = run_external(sample=args.external_sample, only=args.external or ())
    results["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version()}
    print_external(results)
    out = RESULTS / "external.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {out}")


# ---------------------------------------------------------------------------------------------
# Section: orders (what order facts cost a draft) -> results/orders.json


def run_orders_section(args: argparse.Namespace) -> None:
    from benchmarks.orders import print_orders, run_orders

    results = run_orders(rounds=args.order_rounds)
    results["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version()}
    print_orders(results)
    out = RESULTS / "orders.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwritten to {out}")


# ---------------------------------------------------------------------------------------------
# Section: learning (replique learn on a night of intent fixes) -> results/learning.json


def run_learning_section(args: argparse.Namespace) -> None:
    from benchmarks.learning import print_learning, run_learning

    results = run_learning(args.learning_corrections)
    results["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version()}
    print_learning(results)
    out = RESULTS / "learning.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {out}")


# ---------------------------------------------------------------------------------------------

SECTIONS = {
    "core": run_core,
    "channels": run_channels_section,
    "models": run_models_section,
    "external": run_external_section,
    "orders": run_orders_section,
    "learning": run_learning_section,
}


def main() -> None:
    parser = argparse.ArgumentParser(description="Réplique benchmarks")
    parser.add_argument(
        "--section", choices=list(SECTIONS), action="append", help="run only these sections"
    )
    parser.add_argument("--repeat", type=int, default=10, help="passes over the messages")
    parser.add_argument("--rounds", type=int, default=2000, help="single-message timings")
    parser.add_argument("--out", type=Path, default=None, help="core section's JSON file")
    parser.add_argument(
        "--models",
        action="append",
        help="models section: only these (banking77, clinc150, sentiment, shipped_intents)",
    )
    parser.add_argument(
        "--external-sample",
        type=int,
        default=None,
        help="external section: at most this many rows per set (a quick look)",
    )
    parser.add_argument(
        "--external",
        action="append",
        help="external section: only these sets (bitext_en, clinc150_en, perfume_chat_fr, "
        "airline_tweets_en, reviews_fr, complaint_tweets_en)",
    )
    parser.add_argument(
        "--channel-messages", type=int, default=300, help="channels section: messages per run"
    )
    parser.add_argument(
        "--channel-rate", type=float, default=20.0, help="channels section: steady messages/s"
    )
    parser.add_argument(
        "--no-deployment",
        action="store_true",
        help="channels section: skip the replica scenarios (they need PostgreSQL)",
    )
    parser.add_argument(
        "--flood-rate", type=float, default=100.0, help="channels section: flood messages/s"
    )
    parser.add_argument(
        "--outage-seconds", type=float, default=60.0, help="channels section: store outage"
    )
    parser.add_argument(
        "--order-rounds", type=int, default=20, help="orders section: passes over the messages"
    )
    parser.add_argument(
        "--learning-corrections",
        type=int,
        default=2000,
        help="learning section: intent fixes in the store",
    )
    args = parser.parse_args()
    for name in args.section or list(SECTIONS):
        print(f"== {name} ==")
        SECTIONS[name](args)


if __name__ == "__main__":
    main()
