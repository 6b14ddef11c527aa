"""The import tool of the project's Neo4j (``neo4j-admin database import full``, run from the server's own
jars, ``tools/neo4j-server/target/classpath.txt``) on a CSV export: the one place the test of the export's
``import.txt`` and ``bench/corpus_load.py`` run it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from plangraph.graph.export import CSV_MARKER, import_argv

ROOT = Path(__file__).resolve().parent.parent
SERVER = ROOT / "tools" / "neo4j-server"
#: the server's class path, written by ``make neo4j-build``
CLASSPATH = SERVER / "target" / "classpath.txt"


def admin_import(
    export: Path, home: Path, *, timeout_s: float | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the command that ``export``'s ``import.txt`` gives, into a new database under ``home`` (made
    here, with an empty ``conf``), as the user would. :data:`CLASSPATH` must exist."""
    argv = import_argv((export / CSV_MARKER).read_text(encoding="utf-8"))
    (home / "conf").mkdir(parents=True)
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    return subprocess.run(
        ["java", "-cp", CLASSPATH.read_text().strip(), "org.neo4j.cli.AdminTool", *argv[1:]],
        cwd=export,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout_s,
    )
