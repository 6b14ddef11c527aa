"""jieba's default dictionary, read once per process, and the one place jieba is imported.

Two tokenizers segment Chinese here: jieba's global one, which :mod:`ingest.ruler` (and spaCy's
``blank("zh")``) cut with and which gets the lexicon's terms, and the body recogniser's own POS tokenizer
(:mod:`ingest.bodies`), which gets the lexicon's forms with tags and the stems of department names. Both
start from the same default dictionary: its words with their frequencies (jieba's prefix dictionary) and
their part-of-speech tags. Reading them is the longest part of a parse's start-up, so both are read once,
from one cache file, into the global tokenizer; the recogniser's tokenizer starts from a copy taken before
any word was added (the same words, frequencies and tags, so the same cuts as a tokenizer that read the
dictionary file itself).

The cache file (:func:`cache_file`, in PlanGraph's cache folder: built once per installation and user,
then read by every process) holds what jieba's own cache holds, ``(FREQ, total)`` as
``Tokenizer.gen_pfdict`` builds it, and the tags ``POSTokenizer.load_word_tag`` reads, in one ``marshal``
blob read whole (jieba's own ``marshal.load`` from the open file is several times slower), named by
jieba's version and the dictionary file's size and time, so another dictionary builds another cache.

Importing ``jieba`` imports ``pkg_resources`` (about 0.1 s) only to open its own data files, which it opens
by path without it; importing ``jieba.posseg`` reads the whole dictionary file for its module-level
tokenizer (about 0.3 s). :func:`jieba_module` and :func:`pos_tokenizer` skip both; the module-level POS
tokenizer gets the cached tags instead, so ``jieba.posseg.cut`` answers as before.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import logging
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from plangraph.home import cache_dir

Dictionary = tuple[dict[str, int], int, dict[str, str]]  # FREQ, total, word → POS tag

_snapshot: tuple[dict[str, int], int] | None = None  # FREQ and total before any word was added
_tags: dict[str, str] | None = None  # the default dictionary's tags (read with it)


def jieba_module() -> Any:
    """``jieba``, imported without ``pkg_resources`` when nothing imported that yet (jieba then opens its
    data files by path, the fallback it has for that)."""
    if "jieba" not in sys.modules and "pkg_resources" not in sys.modules:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # import fails: jieba's fallback
        try:
            import jieba
        finally:
            del sys.modules["pkg_resources"]
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def tokenizer() -> Any:
    """A new jieba tokenizer (dictionary not read yet) whose cache file is in :func:`cache_dir`."""
    tok = jieba_module().Tokenizer()
    _use_cache_dir(tok)
    return tok


def _use_cache_dir(tok: Any) -> None:
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # not writable: jieba's default (the temporary folder)
    tok.tmp_dir = str(folder)


def cache_file() -> Path:
    """The cache of jieba's default dictionary: named by jieba's version and the dictionary file."""
    jieba = jieba_module()
    st = os.stat(Path(str(jieba.__file__)).parent / jieba.DEFAULT_DICT_NAME)
    return cache_dir() / f"jieba-{jieba.__version__}-{st.st_size}-{st.st_mtime_ns}.dict"


def _build() -> Dictionary:
    """The dictionary as jieba reads it: ``gen_pfdict`` for the frequencies, ``load_word_tag``'s reading
    for the tags (keys shared with the frequencies', so the cache stores each word once)."""
    tok = jieba_module().Tokenizer()
    freq, total = tok.gen_pfdict(tok.get_dict_file())
    tags: dict[str, str] = {}
    with tok.get_dict_file() as f:
        for raw in f:
            line = raw.strip().decode("utf-8")
            if line:
                word, _, tag = line.split(" ")
                tags[word] = tag
    words = {w: w for w in freq}
    return freq, total, {words.get(w, w): t for w, t in tags.items()}


def _read() -> Dictionary:
    """The dictionary from the cache file, which is built first where it is missing or unreadable."""
    path = cache_file()
    with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
        data = marshal.loads(path.read_bytes())
        if isinstance(data, tuple) and len(data) == 3 and isinstance(data[0], dict):
            return data
    built = _build()
    with contextlib.suppress(OSError):  # not writable: every process builds it (slower, same answers)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".jieba-")
        with os.fdopen(fd, "wb") as out:
            marshal.dump(built, out)
        os.replace(tmp, path)
    return built


def global_tokenizer() -> Any:
    """jieba's global tokenizer (``jieba.dt``) with its dictionary read, before words are added to it."""
    global _snapshot, _tags
    jieba = jieba_module()
    if _tags is None:
        _use_cache_dir(jieba.dt)
        freq, total, tags = _read()
        if not jieba.dt.initialized:
            jieba.dt.FREQ, jieba.dt.total, jieba.dt.initialized = freq, total, True
        _snapshot = (dict(jieba.dt.FREQ), jieba.dt.total)
        _tags = tags
    return jieba.dt


def _default_tags() -> dict[str, str]:
    global_tokenizer()
    assert _tags is not None
    return _tags


def fresh_tokenizer() -> Any:
    """A new jieba tokenizer holding only the default dictionary. The first takes the copy made when the
    dictionary was read; any later one reads the cache file itself."""
    global _snapshot
    global_tokenizer()
    tok = tokenizer()
    if _snapshot is not None:
        (tok.FREQ, tok.total), _snapshot = _snapshot, None
    else:
        tok.FREQ, tok.total = _read()[:2]
    tok.initialized = True
    return tok


def posseg_module() -> Any:
    """``jieba.posseg``, imported without its module-level tokenizer reading the dictionary file: it gets
    the cached tags (the same table) instead."""
    jieba = jieba_module()
    if "jieba.posseg" not in sys.modules:
        jieba.dt.get_dict_file = lambda: io.BytesIO()  # read by POSTokenizer() at import: nothing
        try:
            importlib.import_module("jieba.posseg")
        finally:
            del jieba.dt.get_dict_file
        sys.modules["jieba.posseg"].dt.word_tag_tab = dict(_default_tags())
    return sys.modules["jieba.posseg"]


def pos_tokenizer(tok: Any) -> Any:
    """A ``jieba.posseg.POSTokenizer`` over ``tok`` with the default dictionary's tags (a copy: the words
    added to ``tok`` with a tag join it at its first cut, as in jieba), without reading the file again."""
    posseg = posseg_module()
    pos = posseg.POSTokenizer.__new__(posseg.POSTokenizer)
    pos.tokenizer = tok
    pos.word_tag_tab = dict(_default_tags())
    return pos
