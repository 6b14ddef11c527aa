"""Format benchmark: the bundled plan rendered as HTML, Markdown, Word (typed and automatic numbering) and
PDF (when the pdf loader and Chromium are there), each loaded and parsed; the plain text is the baseline.

Median of ``--repeat`` runs per format, load (bytes → Source) and whole parse; the ratio is the parse time
over the text's. Prints figures; asserts nothing.

    python bench/formats.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import timed  # noqa: E402
from plangraph.ingest.extract import build_nlp  # noqa: E402
from plangraph.ingest.load import load_source  # noqa: E402
from plangraph.ingest.pipeline import parse_file  # noqa: E402
from tests.plan_formats import render_all  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    build_nlp()  # start-up once, outside the timings
    has_pdf = importlib.util.find_spec("plangraph.ingest.formats.pdf") is not None
    with tempfile.TemporaryDirectory() as tmp:
        paths = render_all(Path(tmp), pdf=has_pdf)
        if not has_pdf:
            print("pdf: no loader (ingest/formats/pdf.py) — skipped")
        elif "pdf" not in paths:
            print("pdf: no /usr/bin/chromium to print it — skipped")
        rows = []
        for fmt, path in paths.items():
            try:
                parse_file(path)  # warm: first-use caches, and a failure is reported once
            except Exception as exc:
                print(f"{fmt}: parse failed — {type(exc).__name__}: {exc}")
                continue
            load_s = timed(lambda p=path: load_source(p), args.repeat)
            parse_s = timed(lambda p=path: parse_file(p), args.repeat)
            rows.append((fmt, path.stat().st_size, len(load_source(path).text), load_s, parse_s))
    base = next((r[4] for r in rows if r[0] == "txt"), None)
    print(f"median of {args.repeat} runs; ratio = parse time / plain-text parse time")
    print(f"{'format':14} {'bytes':>9} {'text chars':>10} {'load ms':>9} {'parse ms':>9} {'ratio':>6}")
    for fmt, size, chars, load_s, parse_s in rows:
        ratio = f"{parse_s / base:.2f}" if base else "-"
        print(f"{fmt:14} {size:9d} {chars:10d} {load_s * 1000:9.1f} {parse_s * 1000:9.0f} {ratio:>6}")


if __name__ == "__main__":
    main()
