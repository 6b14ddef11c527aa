"""Compiled regular expressions kept from one process to the next (the parser's module-level patterns).

The parser's modules compile about 200 patterns when they are imported, and Python's ``re`` parses and
compiles each in Python (character classes over CJK ranges are the slow part): 0.06–0.08 s of CPU in every
process that parses, the same work each time. Inside :func:`cached_patterns`, a pattern's compiled form
(what ``re._compiler.compile`` hands to ``_sre.compile``: flags, the code words, the groups) is read from
a cache file in PlanGraph's cache folder, and the patterns compiled there for the first time are added
to it when the block ends. ``_sre.compile`` checks the code it is given, and a compiled pattern compares
equal to another only with the same pattern, flags and code (``tests/test_regex_cache.py``), so a cached
pattern is the pattern ``re.compile`` makes. The file is named by the interpreter's version and ``_sre``'s
(another Python builds another); an unreadable file is ignored and written again; a Python whose ``re``
is not laid out as here (3.11) compiles as usual.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import re
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from plangraph.home import cache_dir

try:  # CPython 3.11's layout of re
    import _sre
    from re import _compiler, _parser  # type: ignore[attr-defined]

    _ORIGINAL = _compiler.compile
except (ImportError, AttributeError):  # pragma: no cover - another interpreter: no cache
    _ORIGINAL = None

Args = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]  # _sre.compile's, after the pattern
Key = tuple[str | bytes, int]  # the pattern and the flags it was compiled with

_lock = threading.Lock()
_active = False


def cache_file() -> Path:
    """The cache of compiled patterns of this interpreter."""
    tag = f"{sys.implementation.cache_tag}-{sys.version_info.micro}-{_sre.MAGIC}-{_sre.CODESIZE}"
    return cache_dir() / f"re-{tag}.marshal"


def _read(path: Path) -> dict[Key, Args]:
    with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
        table = marshal.loads(path.read_bytes())
        if isinstance(table, dict):
            return table
    return {}


def _write(path: Path, table: dict[Key, Args]) -> None:
    with contextlib.suppress(OSError, ValueError):  # not writable: the next process compiles them again
        data = marshal.dumps(table)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".re-")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)


def _compiled(pattern: str | bytes, flags: int) -> Args:
    """What ``re._compiler.compile`` passes to ``_sre.compile`` for ``pattern`` (its own steps)."""
    parsed = _parser.parse(pattern, flags)
    code = [int(c) for c in _compiler._code(parsed, flags)]  # plain ints: the opcodes are int subclasses
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    return int(flags | parsed.state.flags), code, parsed.state.groups - 1, groupindex, tuple(indexgroup)


@contextlib.contextmanager
def cached_patterns(path: Path | None = None) -> Iterator[None]:
    """Patterns compiled inside come from the cache file (``path``, default :func:`cache_file`); the cache
    then holds the patterns compiled inside (rewritten only when one was new). Nested blocks are one."""
    global _active
    with _lock:
        mine = _ORIGINAL is not None and not _active
        _active = _active or mine
    if not mine:
        yield
        return
    path = path or cache_file()
    table = _read(path)
    used: dict[Key, Args] = {}
    new = False

    def compile(pattern: Any, flags: int = 0) -> Any:
        nonlocal new
        if not isinstance(pattern, str | bytes) or flags & re.DEBUG:
            return _ORIGINAL(pattern, flags)
        key = (pattern, int(flags))  # int: a RegexFlag is no marshal type
        args = table.get(key)
        if args is not None:
            try:
                compiled = _sre.compile(pattern, *args)
            except (RuntimeError, TypeError, ValueError):  # a damaged entry: compiled anew
                pass
            else:
                used[key] = args
                return compiled
        used[key] = args = _compiled(pattern, flags)
        new = True
        return _sre.compile(pattern, *args)

    _compiler.compile = compile
    try:
        yield
    finally:
        _compiler.compile = _ORIGINAL
        with _lock:
            _active = False
        if new:
            _write(path, used)
