"""Compiled patterns read from the cache (:mod:`ingest.regex_cache`) are the patterns ``re.compile`` makes,
and a damaged cache costs time, never a wrong pattern."""

from __future__ import annotations

import marshal
import re
import subprocess
import sys
from pathlib import Path

import pytest

from plangraph.ingest import regex_cache

ROOT = Path(__file__).resolve().parents[1]

# the kinds of pattern the parser compiles: CJK classes, alternations, named groups, lookarounds, flags
PATTERNS: list[tuple[str | bytes, int]] = [
    (r"^(?:第\s*([零〇一二三四五六七八九十百两\d]+)\s*章)\s*(?P<title>.*)$", re.M),
    (r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff]|[（(）)])", 0),
    (r"(?P<year>(?:19|20)\d{2})\s*年?(?:底|末)?(?!\d)|(?P<other>\d+)", 0),
    (r"[^\t\n\r -~\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]", 0),
    (r"中央网络安全和信息化委员会办公室|中国人民政治协商会议全国委员会|国家发展改革委", 0),
    (r"abc(?i:DEF)\s+x", re.X),
    (rb"\x00+[a-z]{2,}", 0),
]
TEXTS = [
    "第三章 数字政府建设",
    "数字 政府（一）",
    "到2025年底，建成 120 个",
    "中央网络安全和信息化委员会办公室",
    "abcdef x",
]


def _fresh(pattern: str | bytes, flags: int) -> re.Pattern[str] | re.Pattern[bytes]:
    re.purge()  # re's own cache would hand back a pattern compiled inside a block
    return re.compile(pattern, flags)


def _in_block(path: Path) -> list[re.Pattern[str] | re.Pattern[bytes]]:
    re.purge()
    with regex_cache.cached_patterns(path):
        return [re.compile(p, f) for p, f in PATTERNS]


def _same(got: list[re.Pattern[str] | re.Pattern[bytes]]) -> None:
    for (pattern, flags), compiled in zip(PATTERNS, got, strict=True):
        fresh = _fresh(pattern, flags)
        assert compiled == fresh  # same pattern, flags and code words
        assert (compiled.groups, compiled.groupindex) == (fresh.groups, fresh.groupindex)
        for text in TEXTS:
            sample = text.encode() if isinstance(pattern, bytes) else text
            assert [m.span() for m in compiled.finditer(sample)] == [  # type: ignore[arg-type]
                m.span()
                for m in fresh.finditer(sample)  # type: ignore[arg-type]
            ]


def test_patterns_come_back_from_the_cache_as_re_compiles_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "re.marshal"
    _same(_in_block(path))
    assert len(marshal.loads(path.read_bytes())) == len(PATTERNS)
    written = path.stat().st_mtime_ns

    def no_compiling(*_: object) -> None:
        raise AssertionError("compiled although cached")

    monkeypatch.setattr(regex_cache, "_compiled", no_compiling)
    _same(_in_block(path))  # every one read from the file
    assert path.stat().st_mtime_ns == written  # nothing new: not written again


def test_a_damaged_cache_is_compiled_anew(tmp_path: Path) -> None:
    path = tmp_path / "re.marshal"
    path.write_bytes(b"\x00 not marshal")
    _same(_in_block(path))
    table = marshal.loads(path.read_bytes())
    for key, (flags, code, groups, groupindex, indexgroup) in list(table.items()):
        table[key] = (flags, [99999, *code[1:]], groups, groupindex, indexgroup)  # code _sre refuses
    path.write_bytes(marshal.dumps(table))
    _same(_in_block(path))
    assert all(code[0] != 99999 for _, code, *_ in marshal.loads(path.read_bytes()).values())


def test_blocks_nest_as_one_and_end_with_re_as_before(tmp_path: Path) -> None:
    outer, inner = tmp_path / "outer.marshal", tmp_path / "inner.marshal"
    before = re._compiler.compile  # type: ignore[attr-defined]
    re.purge()
    with regex_cache.cached_patterns(outer):
        with regex_cache.cached_patterns(inner):
            re.compile(r"[\u4e00-\u9fff]{2,4}局")
        assert re._compiler.compile is not before  # type: ignore[attr-defined]
    assert re._compiler.compile is before  # type: ignore[attr-defined]
    assert outer.is_file() and not inner.exists()
    assert f"{sys.version_info.major}{sys.version_info.minor}" in regex_cache.cache_file().name


def test_the_command_parses_the_same_with_the_cache_cold_and_warm(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PLANGRAPH_HOME": str(tmp_path / "home")}
    plan = ROOT / "data" / "plans" / "informatization-14fyp"
    cmd = [sys.executable, "-m", "plangraph.cli.main", "parse", str(plan)]
    cold = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, timeout=300)
    assert cold.returncode == 0, cold.stderr
    (cache,) = (tmp_path / "home" / "cache").glob("re-*")
    warm = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, timeout=300)
    assert warm.returncode == 0, warm.stderr
    assert warm.stdout == cold.stdout
    assert len(cold.stdout) > 100_000
    assert len(marshal.loads(cache.read_bytes())) > 100  # the parser's patterns
