"""Parse time of this checkout against another revision, measured in the same run.

The bundled plan and every file of the corpus (``../shared/corpus``) are parsed by this checkout and by
``REV`` (checked out into a temporary git worktree), in separate processes taking turns, so load on a
shared machine falls on both alike. Each process warms up (jieba, spaCy, the lexicons), then parses each
file ``--repeat`` times; the figure is the CPU time of the process (less sensitive to other load than
wall time) and the wall time, best of the rounds. Prints figures and the ratio; asserts nothing.

    python bench/parse_against.py [--against f886e4c] [--rounds 3] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
BUNDLED = ROOT / "data" / "plans" / "informatization-14fyp" / "source.txt"

# run inside the checkout under test: its own modules first on the path
PROBE = r"""
import json, sys, time
sys.path.insert(0, ".")
from plangraph.ingest.pipeline import parse_file
files, repeat = json.loads(sys.argv[1]), int(sys.argv[2])
def parse(f):
    try:
        parse_file(f, partial=True)
    except TypeError:  # a revision without partial=
        try:
            parse_file(f)
        except Exception:
            return False
    except Exception:
        return False
    return True
ok = {f: parse(f) for f in files}  # warm up
out = {}
for f in files:
    cpu, wall = [], []
    for _ in range(repeat):
        c, w = time.process_time(), time.perf_counter()
        parse(f)
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    out[f] = (min(cpu), min(wall), ok[f])
print(json.dumps(out))
"""


def run(checkout: Path, files: list[str], repeat: int) -> dict[str, tuple[float, float, bool]]:
    res = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(files), str(repeat)],
        cwd=checkout,
        capture_output=True,
        text=True,
        check=True,
    )
    return {k: tuple(v) for k, v in json.loads(res.stdout.strip().splitlines()[-1]).items()}  # type: ignore[misc]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--against", default="f886e4c", help="revision to compare with (default: f886e4c)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    files = [str(BUNDLED)]
    if CORPUS.is_dir():
        files += [str(p) for p in sorted(CORPUS.iterdir()) if p.suffix in (".txt", ".pdf")]
    best: dict[str, dict[str, tuple[float, float]]] = {"this": {}, "base": {}}
    failed: set[tuple[str, str]] = set()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        subprocess.run(
            ["git", "worktree", "add", "-q", "--detach", str(base), args.against], cwd=ROOT, check=True
        )
        try:
            for _ in range(args.rounds):
                for name, checkout in (("base", base), ("this", ROOT)):
                    for f, (cpu, wall, ok) in run(checkout, files, args.repeat).items():
                        if not ok:
                            failed.add((name, f))
                        old = best[name].get(f, (float("inf"), float("inf")))
                        best[name][f] = (min(old[0], cpu), min(old[1], wall))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=ROOT, check=False)
    print(f"parse time, this checkout against {args.against} (best of {args.rounds} rounds × {args.repeat})")
    print(
        f"{'file':42} {'base cpu ms':>11} {'this cpu ms':>11} {'ratio':>6} {'base wall':>9} {'this wall':>9}"
    )
    totals = [0.0, 0.0]
    for f in files:
        b, t = best["base"][f], best["this"][f]
        if ("base", f) in failed or ("this", f) in failed:
            who = " and ".join(n for n in ("base", "this") if (n, f) in failed)
            print(f"{Path(f).name:42} ({who} cannot parse it)")
            continue
        totals[0] += b[0]
        totals[1] += t[0]
        print(
            f"{Path(f).name:42} {b[0] * 1000:11.0f} {t[0] * 1000:11.0f} {t[0] / b[0]:6.2f} "
            f"{b[1] * 1000:9.0f} {t[1] * 1000:9.0f}"
        )
    print(
        f"{'files both parse':42} {totals[0] * 1000:11.0f} {totals[1] * 1000:11.0f} "
        f"{totals[1] / totals[0]:6.2f}"
    )


if __name__ == "__main__":
    main()
