"""jieba's default dictionary, read once per process.

Two tokenizers segment Chinese here: jieba's global one, which spaCy's ``blank("zh")`` uses and which
:func:`ingest.extract.build_nlp` gives the lexicon's terms, and the body recogniser's own POS tokenizer
(:mod:`ingest.bodies`), which gets the lexicon's forms with tags and the stems of department names. Both
start from the same default dictionary; reading it (jieba's cache file) is the longest part of start-up,
so it is read once, into the global tokenizer, and the recogniser's tokenizer starts from a copy taken
before any word was added (the same words and frequencies, so the same cuts as a tokenizer that read the
file itself).

jieba keeps the dictionary it parsed in a cache file, by default in the system's temporary folder (cleared
at reboot, shared by all users). Here it goes in PlanGraph's cache folder (:func:`cache_dir`): built once
per installation and user, then read by every process.
"""

from __future__ import annotations

import logging
from typing import Any

from plangraph.home import cache_dir

_snapshot: tuple[dict[str, int], int] | None = None
_taken = False


def tokenizer() -> Any:
    """A new jieba tokenizer (dictionary not read yet) whose cache file is in :func:`cache_dir`."""
    import jieba

    tok = jieba.Tokenizer()
    _use_cache_dir(tok)
    return tok


def _use_cache_dir(tok: Any) -> None:
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # not writable: jieba's default (the temporary folder)
    tok.tmp_dir = str(folder)


def global_tokenizer() -> Any:
    """jieba's global tokenizer (``jieba.dt``) with its dictionary read, before words are added to it."""
    import jieba

    global _snapshot, _taken
    jieba.setLogLevel(logging.WARNING)
    if not _taken:
        _use_cache_dir(jieba.dt)
        jieba.dt.check_initialized()
        _snapshot = (dict(jieba.dt.FREQ), jieba.dt.total)
        _taken = True
    return jieba.dt


def fresh_tokenizer() -> Any:
    """A new jieba tokenizer holding only the default dictionary. The first takes the copy made when the
    dictionary was read; any later one reads the dictionary itself."""

    global _snapshot
    global_tokenizer()
    tok = tokenizer()
    if _snapshot is not None:
        tok.FREQ, tok.total = _snapshot
        tok.initialized = True
        _snapshot = None
    return tok
