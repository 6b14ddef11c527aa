"""The query pool's memory cap holds against a worker's peak, not only what it holds when the pool looks: a
query whose memory rises and falls between two looks, or just before it answers, still passes the cap."""

from __future__ import annotations

import socket
import subprocess
import sys
from multiprocessing.connection import Connection

import pytest

from plangraph.graph.adhoc.pool import OverMemory, _Worker, peak_resident_bytes, reset_peak, resident_bytes

#: a stand-in worker: on each message it fills ``n`` MiB, lets them go, and answers at once
SPIKE = """
import sys
from multiprocessing.connection import Connection
import socket
conn = Connection(socket.socket(fileno=int(sys.argv[1])).detach())
while True:
    try:
        n = conn.recv()
    except EOFError:
        break
    block = bytearray(b"\\x01") * (n << 20)
    del block
    conn.send(("ok", n))
"""


@pytest.fixture
def spiky() -> _Worker:
    ours, theirs = socket.socketpair()
    with theirs:
        proc = subprocess.Popen(
            [sys.executable, "-c", SPIKE, str(theirs.fileno())], pass_fds=[theirs.fileno()]
        )
    w = object.__new__(_Worker)  # the pool's own wait loop, around a process that only spikes
    w.proc, w.conn, w.peaks = proc, Connection(ours.detach()), False
    yield w
    w.stop()


def test_a_spike_before_the_answer_passes_the_cap(spiky: _Worker) -> None:
    assert spiky.ask(1, 10, max_rss=1 << 40) == ("ok", 1)  # the interpreter is up
    base = resident_bytes(spiky.proc.pid)
    with pytest.raises(OverMemory):
        spiky.ask(40, 10, max_rss=base + (20 << 20))
    spiky.proc.wait(5)  # killed
    assert spiky.proc.returncode is not None and spiky.proc.returncode < 0


def test_an_answer_under_the_cap_comes_back(spiky: _Worker) -> None:
    assert spiky.ask(1, 10, max_rss=1 << 40) == ("ok", 1)
    base = resident_bytes(spiky.proc.pid)
    assert spiky.ask(20, 10, max_rss=base + (100 << 20)) == ("ok", 20)
    assert spiky.ask(20, 10, max_rss=base + (100 << 20)) == ("ok", 20)  # the peak was reset in between


def test_the_peak_is_reset_to_the_present() -> None:
    freed = (
        "b = bytearray(b'1') * (200 << 20); del b; print('freed', flush=True); import time; time.sleep(30)"
    )
    proc = subprocess.Popen([sys.executable, "-c", freed], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline() == "freed\n"
        assert resident_bytes(proc.pid) < 100 << 20 <= 200 << 20 <= peak_resident_bytes(proc.pid)
        assert reset_peak(proc.pid)
        assert peak_resident_bytes(proc.pid) < 100 << 20
    finally:
        proc.kill()
        proc.wait()
