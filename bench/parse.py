"""Parse benchmark: the bundled plan's parse time, and throughput (chars/s) on a corpus of 50 copies.

Baseline in the same run: reading and decoding the same bytes (load only), so the ratio says what the
parser costs over I/O. Prints figures; asserts nothing.

    python bench/parse.py [--copies 50] [--repeat 5]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import SOURCE, timed  # noqa: E402
from plangraph.ingest.extract import build_nlp  # noqa: E402
from plangraph.ingest.load import load_source  # noqa: E402
from plangraph.ingest.pipeline import parse_file  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    t = time.perf_counter()
    build_nlp()
    warm = time.perf_counter() - t
    chars = len(SOURCE.read_text(encoding="utf-8"))
    load_s = timed(lambda: load_source(SOURCE), args.repeat)
    parse_s = timed(lambda: parse_file(SOURCE), args.repeat)
    print(f"pipeline start-up (jieba dictionary + spaCy + EntityRuler): {warm:.2f} s (once per process)")
    print(
        f"bundled plan: {chars} chars, parse {parse_s * 1000:.0f} ms (median of {args.repeat}); "
        f"load-only baseline {load_s * 1000:.2f} ms; ratio parse/load {parse_s / load_s:.0f}x"
    )

    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i in range(args.copies):
            d = Path(tmp) / f"plan-{i:03d}"
            d.mkdir()
            (d / "source.txt").write_bytes(SOURCE.read_bytes())
            paths.append(d / "source.txt")
        t = time.perf_counter()
        for i, p in enumerate(paths):
            parse_file(p, plan_id=f"copy-{i:03d}")
        total = time.perf_counter() - t
        t = time.perf_counter()
        for p in paths:
            load_source(p)
        base = time.perf_counter() - t
    n = chars * args.copies
    print(
        f"corpus of {args.copies} copies: {n} chars in {total:.2f} s = {n / total:,.0f} chars/s "
        f"({args.copies / total:.1f} plans/s); load-only baseline {n / base:,.0f} chars/s"
    )


if __name__ == "__main__":
    main()
