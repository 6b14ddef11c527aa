"""The package as a user installs it: a wheel in a fresh virtual environment, used from an empty folder.

Everything lives under ``plangraph`` (nothing named ingest, graph, api or queries at the top of
site-packages); the bundled plan, lexicons, queries and explorer ship as package data; the default store is
in the user's folder (``PLANGRAPH_HOME``), so every command works from any folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import site
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("ingest", "graph", "api", "queries")


def test_no_module_imports_the_old_top_level_names() -> None:
    """Code imports ``plangraph.ingest…``, never ``ingest…`` (which works in a checkout only by accident
    of the current folder, and clashes with other packages in a notebook)."""
    old = re.compile(rf"^\s*(>>> )?(from|import) ({'|'.join(PACKAGES)}|plangraph_cli)(\.|\s|$)", re.M)
    offenders = []
    for folder in (*PACKAGES, "plangraph", "tests", "bench", "docs"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "node_modules" in path.parts:
                continue
            for match in old.finditer(path.read_text(encoding="utf-8")):
                offenders.append(f"{path.relative_to(ROOT)}: {match.group(0).strip()}")
    assert offenders == []


def test_the_checkout_links_the_design_card_folders_into_the_package() -> None:
    for name in PACKAGES:
        link = ROOT / "plangraph" / name
        assert link.is_symlink() and link.resolve() == (ROOT / name).resolve()
    assert (ROOT / "plangraph" / "plans").resolve() == (ROOT / "data" / "plans").resolve()


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 300) -> str:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{args}: {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], Path]:
    """A wheel built from this checkout, installed without its dependencies in a fresh venv that borrows
    them from the development venv (a ``.pth`` file: nothing of the checkout is on its path)."""
    tmp = tmp_path_factory.mktemp("wheel")
    _run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp / "dist"), str(ROOT)],
        cwd=tmp,
        env=dict(os.environ),
        timeout=600,
    )
    (wheel,) = (tmp / "dist").glob("plangraph-*.whl")
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=tmp, env=dict(os.environ))
    python = venv / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index"]
    _run([*pip, str(wheel)], cwd=tmp, env=dict(os.environ))
    purelib = Path(
        _run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], tmp, {}).strip()
    )
    (purelib / "zz_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    home = tmp / "home"
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "PLANGRAPH_HOME": str(home), "HOME": str(tmp)}
    work = tmp / "work"
    work.mkdir()
    return venv, env, work


def test_the_wheel_installs_only_the_plangraph_namespace(
    installed: tuple[Path, dict[str, str], Path],
) -> None:
    venv, env, work = installed
    purelib = Path(
        _run(
            [str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            work,
            env,
        ).strip()
    )
    top = {p.name for p in purelib.iterdir()} - {"zz_dependencies.pth", "__pycache__"}
    assert top == {"plangraph", "plangraph-0.1.0.dist-info"}
    probe = (
        "import importlib.util, sys, plangraph\n"
        "print([n for n in ('ingest', 'graph', 'api', 'queries') if importlib.util.find_spec(n)])\n"
        "print(sorted(m for m in ('spacy', 'jieba', 'ladybug', 'neo4j') if m in sys.modules))\n"
        "from importlib.resources import files\n"
        "print(all((files('plangraph') / p).is_file() for p in ('plans/informatization-14fyp/source.txt',"
        " 'api/static/index.html', 'ingest/lexicons/bodies.yaml', 'queries/goal_tasks.cypher',"
        " 'graph/metrics.yaml', 'graph/genre_terms.yaml', 'codes.yaml')))\n"
    )
    assert _run([str(venv / "bin" / "python"), "-c", probe], work, env).split("\n")[:3] == [
        "[]",
        "[]",
        "True",
    ]


def test_the_wheel_carries_the_built_explorer(installed: tuple[Path, dict[str, str], Path]) -> None:
    """Every asset ``make install`` built into api/static/ (the explorer, the API docs' vendored scripts)
    is in the wheel, byte for byte: ``plangraph serve`` from the wheel serves the same explorer."""
    venv, env, work = installed
    built = ROOT / "api" / "static"
    assert (built / "app.js").is_file(), "the explorer is not built: run make install"
    probe = (
        "import hashlib, json\n"
        "from importlib.resources import files\n"
        "from pathlib import Path\n"
        "static = Path(str(files('plangraph') / 'api' / 'static'))\n"
        "print(json.dumps({str(p.relative_to(static)): hashlib.sha256(p.read_bytes()).hexdigest()"
        " for p in static.rglob('*') if p.is_file()}))\n"
    )
    shipped = json.loads(_run([str(venv / "bin" / "python"), "-c", probe], work, env))
    want = {
        str(p.relative_to(built)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in built.rglob("*")
        if p.is_file()
    }
    assert shipped == want


def test_commands_work_from_any_folder(installed: tuple[Path, dict[str, str], Path]) -> None:
    """With no ``--db``, the store is the user's (``PLANGRAPH_HOME``); with no plan, the bundled one."""
    venv, env, work = installed
    plangraph = str(venv / "bin" / "plangraph")
    _run([plangraph, "load"], work, env)
    assert (Path(env["PLANGRAPH_HOME"]) / "stores" / "plangraph.lbug").exists()
    assert list(work.iterdir()) == []  # nothing written to the current folder
    rows = _run(
        [plangraph, "query", "goal_tasks", "-p", "goal=informatization-14fyp/goal-5", "--format", "json"],
        work,
        env,
    )
    assert "informatization-14fyp/task-" in rows
    # a relative path is the user's, resolved against the current folder
    (work / "mine.txt").write_text(
        (ROOT / "data" / "plans" / "informatization-14fyp" / "source.txt").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    _run([plangraph, "add", "mine.txt", "--db", "local.lbug"], work, env)
    held = _run([plangraph, "plans", "--db", "local.lbug"], work, env)
    assert "| mine.txt " in held and held.endswith("(1 row)\n")
    assert (work / "local.lbug").exists()
    assert _run([plangraph, "explain", "W301"], work, env).startswith(
        "W301 (warning)\n"
    )  # the catalogue ships


def test_the_documented_example_runs_against_the_wheel(installed: tuple[Path, dict[str, str], Path]) -> None:
    venv, env, work = installed
    out = _run([str(venv / "bin" / "python"), str(ROOT / "docs" / "example.py")], work, env)
    assert out.startswith("added    informatization-14fyp")
    assert "tasks serving informatization-14fyp/goal-5" in out
    assert re.search(r"^  \d\.\d\d  informatization-14fyp/task-\d+ ", out, re.M)


def test_the_readme_python_block_runs_against_the_wheel(installed: tuple[Path, dict[str, str], Path]) -> None:
    venv, env, work = installed
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## From Python") :]
    block = section[section.index("```python\n") + len("```python\n") : section.index("\n```\n")]
    folder = work.parent / "readme"
    folder.mkdir()
    _run([str(venv / "bin" / "python"), "-c", block], folder, env)
    assert (folder / "plans.lbug").exists()
