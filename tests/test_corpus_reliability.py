"""``plangraph add`` under stress on the embedded store: killed half-way, every plan in the store is whole
and a rerun finishes the rest; two runs at once, the second fails with a clear message or waits."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from plangraph.graph import corpus
from plangraph.graph.export import to_json
from plangraph.graph.stores import open_store
from tests.conftest import BUNDLED_SOURCE, ROOT
from tests.corpus_env import make_corpus

N = 6
IDS = [f"pgtest-rel-{i}" for i in range(1, N + 1)]


def add_cmd(folder: Path, db: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "plangraph.cli.main",
        "add",
        str(folder),
        "--db",
        str(db),
        "--jobs",
        "1",
        *extra,
    ]


def start(cmd: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_line(proc: subprocess.Popen[str], prefix: str) -> None:
    assert proc.stderr is not None
    for line in proc.stderr:
        if line.startswith(prefix):
            return
    raise AssertionError(f"the run ended before printing {prefix!r}: {proc.wait()}")


def whole(db: Path, folder: Path) -> list[str]:
    """The plans the store holds, each checked to be exactly the plan's graph (nothing half-written)."""
    store = open_store("ladybug", path=db, read_only=True)
    try:
        held = corpus.held_ids(store)
        for plan_id in held:
            expected = corpus.graph_for_source(folder / plan_id)
            assert to_json(corpus.plan_graph(store, plan_id)) == to_json(expected), plan_id
    finally:
        store.close()
    return held


def test_killed_half_way_every_plan_whole_and_a_rerun_finishes(tmp_path: Path) -> None:
    folder = make_corpus(tmp_path, dict.fromkeys(IDS, BUNDLED_SOURCE))
    db = tmp_path / "c.lbug"
    proc = start(add_cmd(folder, db))
    wait_for_line(proc, f"[2/{N}] added")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    held = whole(db, folder)
    assert IDS[:2] == held[:2] and len(held) < N  # the two reported, perhaps the one being written
    rerun = subprocess.run(add_cmd(folder, db), cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{N - len(held)} added, 0 replaced, {len(held)} skipped" in rerun.stdout
    assert whole(db, folder) == IDS


def test_two_adds_at_once_second_fails_clearly_or_waits(tmp_path: Path) -> None:
    folder = make_corpus(tmp_path, dict.fromkeys(IDS, BUNDLED_SOURCE))
    db = tmp_path / "c.lbug"
    first = start(add_cmd(folder, db))
    wait_for_line(first, f"[1/{N}] added")  # it holds the store now
    second = subprocess.run(add_cmd(folder, db), cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert second.returncode == 2
    assert second.stderr.strip().startswith("error: [E301] another process (a plangraph add, load or serve)")
    assert "Traceback" not in second.stderr and f"store {db} open" in second.stderr
    waiting = start(add_cmd(folder, db, "--wait", "600"))
    assert first.wait(timeout=600) == 0
    out, err = waiting.communicate(timeout=600)
    assert waiting.returncode == 0, err
    assert f"0 added, 0 replaced, {N} skipped" in out  # it waited, then found every plan loaded
    assert whole(db, folder) == IDS
