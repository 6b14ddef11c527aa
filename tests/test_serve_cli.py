"""``plangraph serve`` as a user runs it: PLANGRAPH_HOST / PLANGRAPH_PORT are honoured, a busy port fails
in one line before the banner (and before the store is opened), and ``--help`` shows plain flags."""

from __future__ import annotations

import os
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


def test_plangraph_host_and_port_are_honoured(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "PLANGRAPH_HOST": "127.0.0.1", "PLANGRAPH_PORT": str(port), "PYTHONUNBUFFERED": "1"}
    env.pop("NEO4J_URI", None)
    proc = subprocess.Popen(
        [*PLANGRAPH, "serve", "--db", str(tmp_path / "store.lbug")],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        banner = proc.stdout.readline()
        assert banner.startswith(f"PlanGraph API on http://127.0.0.1:{port} "), banner
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as resp:
                    assert resp.status == 200
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail("the service did not answer on PLANGRAPH_PORT")
                time.sleep(0.5)
    finally:
        proc.terminate()
        proc.wait(timeout=60)


@pytest.mark.parametrize(
    "command", [["serve"], ["parse"], ["add"], ["query"], ["export"], ["analyse", "path"]]
)
def test_help_shows_plain_flags(command: list[str]) -> None:
    res = CliRunner().invoke(app, [*command, "--help"])
    assert res.exit_code == 0, res.output
    assert "<bool>" not in res.output and "--help" in res.output
