"""Corpus parsing on every core: MB of plan text per second, ``jobs=1`` against ``jobs=cores``.

The files of ../shared/corpus (15 plans: text and PDF) are repeated to ``--files`` sources (links named
``copy-NNNN-<name>`` in a temporary folder: each is a file of its own to the batch), then parsed and built
exactly as ``plangraph add`` does before it writes (:mod:`graph.corpus_batch`: worker processes, spawned),
once with one job and once with one per core (or ``--jobs``), in the same run. The text measured is each
file's decoded text (PDF: the extracted text), in UTF-8. Prints MB/s, files/s and the ratio; asserts
nothing. The corpus is read from its folder, never copied into the project.

    python bench/corpus_parse.py [--files 1000] [--jobs N] [--corpus ../shared/corpus]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import _client as bc  # bench/_client.py: this script's directory is on sys.path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from plangraph.graph.corpus import DEFAULT  # noqa: E402
from plangraph.graph.corpus_batch import _prepared, default_jobs, expand  # noqa: E402
from plangraph.ingest.load import load_source  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
SUFFIXES = (".txt", ".pdf", ".html", ".md", ".docx")
NOT_PLANS = {"README.md", "PROVENANCE.md"}  # the corpus folder's own notes


def run(files: list[Path], jobs: int) -> tuple[float, int]:
    """Seconds to parse and build every file with ``jobs`` processes; files that failed."""
    found = expand(files)
    t0 = time.perf_counter()
    failed = sum(1 for done in _prepared(found, DEFAULT, jobs) for prep in done if prep.error)
    return time.perf_counter() - t0, failed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--jobs", type=int, default=default_jobs())
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    args = ap.parse_args()
    originals = sorted(p for p in args.corpus.iterdir() if p.suffix in SUFFIXES and p.name not in NOT_PLANS)
    if not originals:
        raise SystemExit(f"error: no plan files in {args.corpus}")
    text_bytes = {p: len(load_source(p).text.encode("utf-8")) for p in originals}
    with tempfile.TemporaryDirectory(prefix="plangraph-corpus-parse-") as tmp:
        files = []
        for i in range(max(1, min(args.files, 10_000))):
            original = originals[i % len(originals)]
            link = Path(tmp) / f"copy-{i:04d}-{original.name}"
            link.symlink_to(original)
            files.append(link)
        mb = sum(text_bytes[originals[i % len(originals)]] for i in range(len(files))) / 1e6
        print(
            f"{len(files)} files ({len(originals)} distinct), {mb:.1f} MB of plan text; {os.cpu_count()} CPUs"
        )
        rows = []
        for jobs in dict.fromkeys([1, args.jobs]):
            seconds, failed = run(files, jobs)
            rows.append((jobs, seconds, failed))
            print(
                f"jobs={jobs}: {seconds:.1f} s, {mb / seconds:.2f} MB/s, {len(files) / seconds:.1f} files/s"
                + (f", {failed} failed" if failed else "")
            )
            sys.stdout.flush()
    if len(rows) == 2:
        print(f"speed-up jobs={rows[1][0]} over jobs=1: {rows[0][1] / rows[1][1]:.2f}x")
    print(bc.load_note())
    return 0


if __name__ == "__main__":
    sys.exit(main())
