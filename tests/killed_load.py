"""Shared by the store tests: a load in another process, killed a third of the way through, then rerun."""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
from pathlib import Path

import networkx as nx

from tests.conftest import ROOT


def kill_midway(graph: nx.MultiDiGraph, plan_id: str, open_store: str, tmp_path: Path) -> str:
    """Load ``graph`` in a subprocess that opens its store with the Python expression ``open_store`` (after
    ``from graph.stores import open_store``) and SIGKILL it once a third of the elements are written.
    Returns the script, for :func:`rerun`."""
    pickled = tmp_path / "graph.pickle"
    pickled.write_bytes(pickle.dumps(graph))
    script = (
        "import pickle, time\n"
        "from graph.stores import open_store\n"
        "from tests.stores_env import neo4j_config\n"
        f"g = pickle.loads(open({str(pickled)!r}, 'rb').read())\n"
        f"s = {open_store}\n"
        "def slow(done, total):\n"
        "    print(done, total, flush=True); time.sleep(0.02)\n"
        f"s.load(g, {plan_id!r}, progress=slow)\n"
        "print('done', flush=True)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        done, total = map(int, line.split())
        if done > total // 3:
            os.kill(proc.pid, signal.SIGKILL)
            break
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    return script


def rerun(script: str) -> None:
    """Run the killed load again, at full speed, to the end."""
    result = subprocess.run(
        [sys.executable, "-c", script.replace("time.sleep(0.02)", "pass")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.stdout.strip().endswith("done"), result.stderr
