"""jieba's default dictionary, read once per process.

Two tokenizers segment Chinese here: jieba's global one, which spaCy's ``blank("zh")`` uses and which
:func:`ingest.extract.build_nlp` gives the lexicon's terms, and the body recogniser's own POS tokenizer
(:mod:`ingest.bodies`), which gets the lexicon's forms with tags and the stems of department names. Both
start from the same default dictionary; reading it (jieba's cache file) is the longest part of start-up,
so it is read once, into the global tokenizer, and the recogniser's tokenizer starts from a copy taken
before any word was added (the same words and frequencies, so the same cuts as a tokenizer that read the
file itself).
"""

from __future__ import annotations

import logging
from typing import Any

_snapshot: tuple[dict[str, int], int] | None = None
_taken = False


def global_tokenizer() -> Any:
    """jieba's global tokenizer (``jieba.dt``) with its dictionary read, before words are added to it."""
    import jieba

    global _snapshot, _taken
    jieba.setLogLevel(logging.WARNING)
    if not _taken:
        jieba.dt.check_initialized()
        _snapshot = (dict(jieba.dt.FREQ), jieba.dt.total)
        _taken = True
    return jieba.dt


def fresh_tokenizer() -> Any:
    """A new jieba tokenizer holding only the default dictionary. The first takes the copy made when the
    dictionary was read; any later one reads the dictionary itself."""
    import jieba

    global _snapshot
    global_tokenizer()
    tok = jieba.Tokenizer()
    if _snapshot is not None:
        tok.FREQ, tok.total = _snapshot
        tok.initialized = True
        _snapshot = None
    return tok
