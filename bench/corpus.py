"""Corpus conformance check: parse every file of ``../shared/corpus/`` and hold it against ``gold.json``.

Prints one row per file (facts held / facts, seconds, what failed) and the totals; ``--json FILE`` writes
the per-fact results. Asserts nothing (tests/test_corpus.py holds the line against regressions).

    python bench/corpus.py [--corpus DIR] [--jobs 2] [--json out.json] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from plangraph.ingest.conformance import FactResult, check_file, load_gold  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"


def _run(args: tuple[str, dict[str, Any]]) -> tuple[str, list[FactResult], float]:
    path, gold = args
    t = time.perf_counter()
    try:
        results = check_file(Path(path), gold)
    except Exception as exc:  # a bug in the parser: the table still prints, the test shows the traceback
        from plangraph.ingest.conformance import failed_all

        results = failed_all(gold, f"CRASH {type(exc).__name__}: {exc}")
    return Path(path).name, results, time.perf_counter() - t


def run(corpus: Path, jobs: int) -> list[tuple[str, list[FactResult], float]]:
    gold = load_gold(corpus)
    work = [(str(corpus / name), facts) for name, facts in sorted(gold.items())]
    if jobs <= 1:
        return [_run(w) for w in work]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(_run, work))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=Path(os.environ.get("PLANGRAPH_CORPUS", DEFAULT_CORPUS)))
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--verbose", "-v", action="store_true", help="print every failed fact in full")
    args = ap.parse_args()
    if not (args.corpus / "gold.json").is_file():
        sys.exit(f"error: no gold.json in {args.corpus} (set --corpus or PLANGRAPH_CORPUS)")
    t0 = time.perf_counter()
    rows = run(args.corpus, args.jobs)
    total_held = total = 0
    width = max(len(name) for name, _, _ in rows)
    print(f"{'file':<{width}}  held/facts    s  failed")
    for name, results, secs in rows:
        held = sum(r.held for r in results)
        total_held += held
        total += len(results)
        failed = [r.describe() for r in results if not r.held]
        shown = "; ".join(failed) if args.verbose else "; ".join(f[:70] for f in failed)
        print(f"{name:<{width}}  {held:>4}/{len(results):<5} {secs:4.1f}  {shown}")
    perfect = sum(all(r.held for r in res) for _, res, _ in rows)
    print(
        f"{'total':<{width}}  {total_held:>4}/{total:<5} {time.perf_counter() - t0:4.1f}  "
        f"{perfect}/{len(rows)} files fully right"
    )
    if args.json:
        out = {
            name: [
                {"fact": r.name, "held": r.held, "expected": r.expected, "got": r.got, "error": r.error}
                for r in results
            ]
            for name, results, _ in rows
        }
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")


if __name__ == "__main__":
    main()
