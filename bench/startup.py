"""Command-line start-up: wall and CPU time of ``plangraph`` commands, each a fresh process, against the
bare interpreter (``python -c pass``) measured in the same run, in turns (best and median of rounds). CPU
time (user + sys of the child, from ``getrusage``) is the figure to trust on a loaded machine.

    python -c pass                 the floor of any Python command
    import spacy                   the floor of any command that parses (spaCy's own import)
    plangraph --help               loads no spaCy, jieba or store engine (tests/test_cli_startup.py)
    plangraph queries              a command that reads files only
    jieba dictionary, cold / warm  reading jieba's dictionary with no cache file (a fresh PLANGRAPH_HOME)
                                   and with the cache file built once per installation
    plangraph parse <bundled>      end to end: start-up, parse, JSON out (aim: under 1 s)
    plangraph parse, REV           the same command of another revision (``--against REV``: a temporary
                                   git worktree, its own modules first on the path), in the same turns

    python bench/startup.py [--rounds 5] [--against main]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import _client as bc  # bench/_client.py: this script's directory is on sys.path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PLANGRAPH = str(ROOT / ".venv" / "bin" / "plangraph")
JIEBA = "from ingest.jieba_dict import global_tokenizer; global_tokenizer()"
# the command of a checkout, its own modules first on the path (run in the checkout's folder)
CLI = "import sys; sys.path.insert(0, '.'); from plangraph.cli.main import app; app()"


def commands(home: str) -> dict[str, tuple[list[str], dict[str, str]]]:
    env = dict(os.environ)
    fresh = {**env, "PLANGRAPH_HOME": home}
    bundled = str(ROOT / "data" / "plans" / "informatization-14fyp")
    return {
        "python -c pass": ([PY, "-c", "pass"], env),
        "import spacy": ([PY, "-c", "import spacy"], env),
        "plangraph --help": ([PLANGRAPH, "--help"], env),
        "plangraph queries": ([PLANGRAPH, "queries"], env),
        "jieba dictionary, warm": ([PY, "-c", JIEBA], env),
        "jieba dictionary, cold": (
            [PY, "-c", f"import shutil; shutil.rmtree({home!r}, True); {JIEBA}"],
            fresh,
        ),
        "plangraph parse (bundled)": ([PLANGRAPH, "parse", bundled, "-o", os.devnull], env),
    }


@contextlib.contextmanager
def checkout(rev: str | None) -> Iterator[Path | None]:
    """A temporary git worktree of ``rev`` (removed afterwards), or None."""
    if rev is None:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="plangraph-rev-") as tmp:
        base = Path(tmp) / "base"
        subprocess.run(["git", "worktree", "add", "-q", "--detach", str(base), rev], cwd=ROOT, check=True)
        try:
            yield base
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=ROOT, check=False)


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + sys) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--against", help="another revision whose plangraph parse runs in the same turns")
    args = ap.parse_args()
    rounds = max(1, min(args.rounds, 50))
    bundled = str(ROOT / "data" / "plans" / "informatization-14fyp")
    with tempfile.TemporaryDirectory(prefix="plangraph-home-") as home, checkout(args.against) as base:
        todo = {name: (cmd, env, ROOT) for name, (cmd, env) in commands(home).items()}
        if base is not None:
            parse = ["parse", bundled, "-o", os.devnull]
            todo["plangraph parse, this"] = ([PY, "-c", CLI, *parse], dict(os.environ), ROOT)
            todo[f"plangraph parse, {args.against}"] = ([PY, "-c", CLI, *parse], dict(os.environ), base)
        for cwd in {ROOT, base or ROOT}:  # each checkout's dictionary cache exists (once per installation)
            subprocess.run([PY, "-c", CLI, "parse", bundled, "-o", os.devnull], cwd=cwd, check=True)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in todo}
        for _ in range(rounds):  # in turns: a burst of load elsewhere hits every command alike
            for name, (cmd, env, cwd) in todo.items():
                times[name].append(timed(cmd, cwd, env))
    floor = [min(t[i] for t in times["python -c pass"]) for i in (0, 1)]
    print(f"{rounds} rounds, per process (s): wall and CPU (user+sys); x python = best over python -c pass's")
    print(f"{'command':<34}{'wall':>7}{'median':>8}{'x py':>6}{'cpu':>8}{'median':>8}{'cpu-py':>8}")
    for name, ts in times.items():
        wall, cpu = [t[0] for t in ts], [t[1] for t in ts]
        print(
            f"{name:<34}{min(wall):7.3f}{statistics.median(wall):8.3f}{min(wall) / floor[0]:6.1f}"
            f"{min(cpu):8.3f}{statistics.median(cpu):8.3f}{min(cpu) - floor[1]:8.3f}"
        )
    print(bc.load_note())
    return 0


if __name__ == "__main__":
    sys.exit(main())
