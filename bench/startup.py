"""Command-line start-up: wall time of ``plangraph`` commands, each a fresh process, against the bare
interpreter (``python -c pass``) measured in the same run, in turns (best and median of rounds).

    python -c pass                 the floor of any Python command
    import spacy                   the floor of any command that parses (spaCy's own import)
    plangraph --help               loads no spaCy, jieba or store engine (tests/test_cli_startup.py)
    plangraph queries              a command that reads files only
    jieba dictionary, cold / warm  reading jieba's dictionary with no cache file (a fresh PLANGRAPH_HOME)
                                   and with the cache file built once per installation
    plangraph parse <bundled>      end to end: start-up, parse, JSON out (aim: under 1 s)

    python bench/startup.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _client as bc  # bench/_client.py: this script's directory is on sys.path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PLANGRAPH = str(ROOT / ".venv" / "bin" / "plangraph")
JIEBA = "from ingest.jieba_dict import global_tokenizer; global_tokenizer()"


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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    rounds = max(1, min(args.rounds, 50))
    with tempfile.TemporaryDirectory(prefix="plangraph-home-") as home:
        todo = commands(home)
        subprocess.run([PY, "-c", JIEBA], cwd=ROOT, check=True)  # the installation's cache exists
        times: dict[str, list[float]] = {name: [] for name in todo}
        for _ in range(rounds):  # in turns: a burst of load elsewhere hits every command alike
            for name, (cmd, env) in todo.items():
                t0 = time.perf_counter()
                subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
                times[name].append(time.perf_counter() - t0)
    floor = min(times["python -c pass"])
    print(f"{rounds} rounds, wall time per process (s); x python = best over python -c pass's best")
    print(f"{'command':<28}{'best':>8}{'median':>8}{'x python':>10}")
    for name, ts in times.items():
        print(f"{name:<28}{min(ts):8.3f}{statistics.median(ts):8.3f}{min(ts) / floor:10.1f}")
    print(bc.load_note())
    return 0


if __name__ == "__main__":
    sys.exit(main())
