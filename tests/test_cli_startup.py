"""The command starts fast: commands that do not parse load no spaCy, no jieba and no store engine they do
not use (each is a fresh process: what it imported is what a user waits for). bench/startup.py measures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PARSING = ("spacy", "jieba", "thinc")
ENGINES = ("ladybug", "neo4j")
PROBE = """
import json, sys
from plangraph.cli.main import app
try:
    app(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})), file=sys.stderr)
"""


def loaded(*args: str) -> set[str]:
    """The top-level modules a fresh process had loaded after running ``plangraph args``."""
    res = subprocess.run(
        [sys.executable, "-c", PROBE, *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    return set(json.loads(res.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize("args", [["--help"], ["parse", "--help"], ["serve", "--help"], ["queries"]])
def test_commands_that_do_not_parse_load_no_parser_nor_engine(args: list[str]) -> None:
    mods = loaded(*args)
    assert "typer" in mods  # the probe ran the command
    assert not mods & {*PARSING, *ENGINES, "networkx", "fastapi", "uvicorn"}, sorted(mods)


def test_reading_a_store_loads_its_engine_but_no_parser(tmp_path: Path) -> None:
    db = tmp_path / "empty.lbug"
    mods = loaded("plans", "--db", str(db))
    assert "ladybug" in mods
    assert not mods & {*PARSING, "pyarrow"}, sorted(mods)  # pyarrow: for bulk loads only


def test_jieba_cache_goes_to_the_plangraph_home(tmp_path: Path) -> None:
    code = "from ingest.jieba_dict import global_tokenizer; print(global_tokenizer().tmp_dir)"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PLANGRAPH_HOME": str(tmp_path / "home")}
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == str(tmp_path / "home" / "cache")
    (cache,) = (tmp_path / "home" / "cache").glob("jieba-*")
    assert cache.stat().st_size > 1_000_000
    built = cache.stat().st_mtime_ns
    again = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert list((tmp_path / "home" / "cache").glob("jieba-*")) == [cache]
    assert cache.stat().st_mtime_ns == built  # read, not built again, by the next process
