"""``plangraph serve`` as a user runs it: PLANGRAPH_HOST / PLANGRAPH_PORT are honoured, a busy port fails
in one line before the banner (and before the store is opened), and ``--help`` shows plain flags."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from plangraph.cli.main import app

PLANGRAPH = [sys.executable, "-m", "plangraph.cli.main"]
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_busy_port_fails_in_one_line_before_the_banner(tmp_path: Path) -> None:
    db = tmp_path / "store.lbug"
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = {**os.environ, "PLANGRAPH_PORT": str(port)}
        r = subprocess.run(
            [*PLANGRAPH, "serve", "--db", str(db)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert r.returncode == 2 and r.stdout == "", r.stdout  # no banner
    assert r.stderr.strip().splitlines() == [
        f"error: [E405] 127.0.0.1:{port}: port {port} is in use by another process; give another with "
        "--port or PLANGRAPH_PORT"
    ]
    assert not db.exists()  # the store was not opened


def serve(tmp_path: Path, **settings: str) -> tuple[subprocess.Popen[str], int, str]:
    """``plangraph serve`` on an empty store with ``PLANGRAPH_<NAME>`` settings, once it answers /health:
    the process, its port and its banner (stdout's first line; the rest of stdout and stderr go to one
    pipe, read when the test ends it)."""
    port = free_port()
    env = {**os.environ, "PLANGRAPH_HOST": "127.0.0.1", "PLANGRAPH_PORT": str(port), "PYTHONUNBUFFERED": "1"}
    env.update({f"PLANGRAPH_{name.upper()}": value for name, value in settings.items()})
    env.pop("NEO4J_URI", None)
    proc = subprocess.Popen(
        [*PLANGRAPH, "serve", "--db", str(tmp_path / "store.lbug")],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    banner = proc.stdout.readline()
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as resp:
                assert resp.status == 200
                return proc, port, banner
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail(f"the service did not answer on PLANGRAPH_PORT: {banner}{proc.communicate()[0]}")
            time.sleep(0.5)


def stop(proc: subprocess.Popen[str]) -> str:
    """End the service as Ctrl-C would; what it printed after its banner."""
    proc.send_signal(signal.SIGINT)
    try:
        return proc.communicate(timeout=60)[0]
    except subprocess.TimeoutExpired:
        proc.kill()
        raise


def server_processes(pid: int) -> list[int]:
    """The uvicorn worker processes under ``pid`` (multiprocessing children; not the query pool's)."""
    found = []
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        cmdline = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ")
        if b"multiprocessing.spawn" in cmdline:
            found.append(int(child))
    return found


def test_plangraph_host_and_port_are_honoured(tmp_path: Path) -> None:
    proc, port, banner = serve(tmp_path)
    stop(proc)
    assert banner.startswith(f"PlanGraph API on http://127.0.0.1:{port} "), banner


@pytest.mark.parametrize("workers", [1, 2])
def test_plangraph_workers_is_the_number_of_server_processes(tmp_path: Path, workers: int) -> None:
    proc, port, _ = serve(tmp_path, workers=str(workers))
    try:
        started = server_processes(proc.pid)
        for _ in range(8):  # every one of them answers (they share the port)
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as resp:
                assert resp.status == 200
    finally:
        stop(proc)
    assert len(started) == (workers if workers > 1 else 0), started  # one process serves by itself


@pytest.mark.parametrize("access_log", ["true", "false"])
def test_plangraph_access_log_logs_each_request(tmp_path: Path, access_log: str) -> None:
    proc, port, _ = serve(tmp_path, access_log=access_log)
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/plans", timeout=5):
        pass
    printed = stop(proc)
    logged = [line for line in printed.splitlines() if '"GET /plans HTTP/1.1" 200' in line]
    assert len(logged) == (1 if access_log == "true" else 0), printed


@pytest.mark.parametrize(
    "command", [["serve"], ["parse"], ["add"], ["query"], ["export"], ["analyse", "path"]]
)
def test_help_shows_plain_flags(command: list[str]) -> None:
    res = CliRunner().invoke(app, [*command, "--help"])
    assert res.exit_code == 0, res.output
    assert "<bool>" not in res.output and "--help" in res.output
