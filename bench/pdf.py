"""PDF benchmark: the PDF loader's pages/s and peak memory on the corpus's 146-page plan, and its full parse.

Baseline in the same run: pdfium's plain text in stream order (``PdfTextPage.get_text_range`` over all
pages), so the ratio says what the layout (positions, lines, indents, headers, image checks) costs. Each of
the two is measured in a fresh process, so its peak RSS (``resource.getrusage``) is its own; the full
``parse_file`` time is measured after the pipeline's one-off start-up. Prints figures; asserts nothing.

    python bench/pdf.py [--repeat 5] [--pdf ../shared/corpus/gangyao_14th_2021_ndrc.pdf]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import timed  # noqa: E402

PDF = ROOT.parent / "shared" / "corpus" / "gangyao_14th_2021_ndrc.pdf"


def _baseline(data: bytes) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        return sum(len(pdf[i].get_textpage().get_text_range()) for i in range(len(pdf)))
    finally:
        pdf.close()


def _loader(data: bytes) -> int:
    from plangraph.ingest.formats.pdf import load

    return len(load(data, "bench.pdf").original)


def _measure(kind: str, path: Path, repeat: int) -> None:
    """In a child process: time ``repeat`` runs of one method and report them with the peak RSS as JSON."""
    data = path.read_bytes()
    fn = _loader if kind == "loader" else _baseline
    if kind == "loader":
        import plangraph.ingest.formats.pdf  # noqa: F401  (import cost is not load cost)
    else:
        import pypdfium2  # noqa: F401
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    chars = fn(data)
    seconds = timed(lambda: fn(data), repeat)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "chars": chars, "rss_before_kb": before, "rss_peak_kb": after}))


def _child(kind: str, path: Path, repeat: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--measure", kind, "--pdf", str(path), "--repeat", str(repeat)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--pdf", type=Path, default=PDF)
    ap.add_argument("--measure", choices=("loader", "baseline"))
    args = ap.parse_args()
    if args.measure:
        _measure(args.measure, args.pdf, args.repeat)
        return
    if not args.pdf.is_file():
        print(f"no PDF at {args.pdf} (the corpus is in ../shared/corpus)")
        return

    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(args.pdf.read_bytes())
    pages = len(pdf)
    pdf.close()
    size = args.pdf.stat().st_size / 1024 / 1024
    print(
        f"{args.pdf.name}: {pages} pages, {size:.1f} MB; "
        f"median of {args.repeat} runs, each method in its own process"
    )
    rows = {kind: _child(kind, args.pdf, args.repeat) for kind in ("baseline", "loader")}
    for kind, label in (
        ("baseline", "pdfium get_text_range (baseline)"),
        ("loader", "plangraph.ingest.formats.pdf.load"),
    ):
        r = rows[kind]
        print(
            f"  {label:34s} {r['seconds'] * 1000:7.0f} ms = {pages / r['seconds']:6.0f} pages/s, "
            f"{r['chars']:>7,} chars, peak RSS {r['rss_peak_kb'] / 1024:5.0f} MB "
            f"(+{(r['rss_peak_kb'] - r['rss_before_kb']) / 1024:.0f} MB over the imports)"
        )
    print(f"  loader / baseline time: {rows['loader']['seconds'] / rows['baseline']['seconds']:.1f}x")

    from plangraph.ingest.extract import build_nlp
    from plangraph.ingest.pipeline import parse_file

    t = time.perf_counter()
    build_nlp()
    warm = time.perf_counter() - t
    repeat = max(1, min(args.repeat, 3))
    parse_s = timed(lambda: parse_file(args.pdf, partial=True), repeat)
    print(
        f"  full parse_file (partial=True): {parse_s:.2f} s (median of {repeat}; start-up {warm:.1f} s once)"
    )


if __name__ == "__main__":
    main()
