"""jieba's default dictionary, read in pieces on first use, and the one place jieba is imported.

Two tokenizers segment Chinese here: jieba's global one, which :mod:`ingest.ruler` (and spaCy's
``blank("zh")``) cut with and which gets the lexicon's terms, and the body recogniser's own POS tokenizer
(:mod:`ingest.bodies`), which gets the lexicon's forms with tags and the stems of department names. Both
start from the same default dictionary: its words with their frequencies (jieba's prefix dictionary) and
their part-of-speech tags, so they cut as a tokenizer that read the dictionary file itself.

The dictionary is read from one cache file (:func:`cache_file`, in PlanGraph's cache folder: built once
per installation and user, then mapped by every process), named by jieba's version and the dictionary
file's size and time (so another jieba or another dictionary file builds another cache) and by the
format's version. It is not rebuilt as one Python dict per process: :mod:`ingest.jieba_shards` keeps it
in pieces by the first two characters of a word, and a tokenizer of :func:`lazy_class` takes the pieces
of a text's pairs of characters before it cuts the text or adds a word (the only strings jieba looks up
are in the text or the word). A tokenizer given another dictionary (``set_dictionary``,
``initialize(path)``) reads that one whole, as jieba does.

Importing ``jieba`` imports ``pkg_resources`` (about 0.1 s) only to open its own data files, which it opens
by path without it; importing ``jieba.posseg`` reads the whole dictionary file for its module-level
tokenizer (about 0.3 s). :func:`jieba_module` and :func:`pos_tokenizer` skip both; the module-level POS
tokenizer follows the global tokenizer's pieces instead, so ``jieba.posseg.cut`` answers as before.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import io
import logging
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from plangraph.home import cache_dir
from plangraph.ingest.jieba_shards import Shards, encode

#: jieba's module-level functions that are bound methods of its global tokenizer (rebound to its class)
_BOUND = (
    *("add_word", "calc", "cut", "lcut", "cut_for_search", "lcut_for_search", "del_word", "get_DAG"),
    *("get_dict_file", "initialize", "load_userdict", "set_dictionary", "suggest_freq", "tokenize"),
)


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


@functools.cache
def lazy_class() -> Any:
    """jieba's ``Tokenizer`` with the default dictionary taken in pieces (:class:`ingest.jieba_shards.Shards`)
    as its cuts and added words need them; the same answers as jieba's own."""
    jieba = jieba_module()

    class LazyTokenizer(jieba.Tokenizer):  # type: ignore[name-defined]
        _shards: Shards | None = None

        def get_DAG(self, sentence: str) -> Any:  # every cut looks up its text through this
            if self._shards is not None:
                self._shards.fill(self, sentence)
            return super().get_DAG(sentence)

        def add_word(self, word: Any, freq: Any = None, tag: Any = None) -> None:
            if self._shards is not None:
                self._shards.fill(self, jieba.strdecode(word))
            super().add_word(word, freq, tag)

        def initialize(self, dictionary: Any = None) -> None:  # another dictionary: jieba's own way, whole
            self._shards = None
            super().initialize(dictionary)

    return LazyTokenizer


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


def dict_file() -> Path:
    """jieba's default dictionary file (``dict.txt`` in its package)."""
    jieba = jieba_module()
    return Path(str(jieba.__file__)).parent / jieba.DEFAULT_DICT_NAME


def cache_file() -> Path:
    """The cache of jieba's default dictionary: named by jieba's version, the dictionary file and the
    cache's format."""
    st = os.stat(dict_file())
    version = jieba_module().__version__
    return cache_dir() / f"jieba-{version}-{st.st_size}-{st.st_mtime_ns}.shards1"


def _build() -> bytes:
    """The cache file's bytes: the dictionary as jieba reads it, ``gen_pfdict`` for the frequencies,
    ``load_word_tag``'s reading for the tags."""
    with dict_file().open("rb") as f:
        freq, total = jieba_module().Tokenizer.gen_pfdict(f)
    tags: dict[str, str] = {}
    with dict_file().open("rb") as f:
        for raw in f:
            line = raw.strip().decode("utf-8")
            if line:
                word, _, tag = line.split(" ")
                tags[word] = tag
    return encode(freq, total, tags)


@functools.cache
def shards() -> Shards:
    """The default dictionary from the cache file, which is built first where it is missing or unreadable
    (once per process: every tokenizer shares the pieces read)."""
    path = cache_file()
    with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
        return Shards.open(path)
    built = _build()
    with contextlib.suppress(OSError):  # not writable: every process builds it (slower, same answers)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".jieba-")
        with os.fdopen(fd, "wb") as out:
            out.write(built)
        os.replace(tmp, path)
    return Shards(built)


def global_tokenizer() -> Any:
    """jieba's global tokenizer (``jieba.dt``) with the default dictionary (taken in pieces), unless it
    was given another dictionary or read one already."""
    jieba = jieba_module()
    dt = jieba.dt
    if not isinstance(dt, lazy_class()):
        _use_cache_dir(dt)
        dt.__class__ = lazy_class()
        for name in _BOUND:  # jieba.add_word … are bound methods of dt: now of its new class
            setattr(jieba, name, getattr(dt, name))
        if not dt.initialized and dt.dictionary == jieba.DEFAULT_DICT:
            dt._shards = shards()
            dt._shards.start(dt)
    return dt


def fresh_tokenizer() -> Any:
    """A new jieba tokenizer holding only the default dictionary (taken in pieces as it cuts)."""
    tok = lazy_class()()
    _use_cache_dir(tok)
    tok._shards = shards()
    tok._shards.start(tok)
    return tok


def _follow(pos: Any) -> None:
    """Fill a POS tokenizer's tag table as its tokenizer takes pieces (or whole, for another dictionary)."""
    tok = pos.tokenizer
    if getattr(tok, "_shards", None) is not None:
        pos.word_tag_tab = {}
        tok._shards.follow(tok, pos.word_tag_tab)
    else:
        pos.load_word_tag(tok.get_dict_file())


def posseg_module() -> Any:
    """``jieba.posseg``, imported without its module-level tokenizer reading the dictionary file: its tags
    follow the global tokenizer's pieces instead (the same table)."""
    jieba = jieba_module()
    if "jieba.posseg" not in sys.modules:
        global_tokenizer()
        jieba.dt.get_dict_file = lambda: io.BytesIO()  # read by POSTokenizer() at import: nothing
        try:
            importlib.import_module("jieba.posseg")
        finally:
            del jieba.dt.get_dict_file
        _follow(sys.modules["jieba.posseg"].dt)
    return sys.modules["jieba.posseg"]


def pos_tokenizer(tok: Any) -> Any:
    """A ``jieba.posseg.POSTokenizer`` over ``tok`` with the default dictionary's tags (its own table: the
    words added to ``tok`` with a tag join it at its first cut, as in jieba), without reading the file."""
    posseg = posseg_module()
    pos = posseg.POSTokenizer.__new__(posseg.POSTokenizer)
    pos.tokenizer = tok
    _follow(pos)
    return pos
