"""jieba's default dictionary in pieces read on first use: the cache file's format and its reader.

jieba's dictionary is one Python dict of about 500,000 entries (its words with their frequencies, and
every prefix of a word with 0 so that its DAG search knows when to stop) and a second one of 350,000
part-of-speech tags; rebuilding both in every process took a third of a parse's start-up. Yet jieba only
ever looks up strings of the text it cuts: ``get_DAG`` looks up each character and the runs that start at
it, ``calc`` and the cut the words of that DAG, ``add_word`` the word and its prefixes. Every string of two
characters or more starts with a pair of adjacent characters of the text, so the dictionary is kept here
in pieces, one per first pair (with its words' tags), and the single characters apart; a tokenizer takes
the pieces of the pairs of a text before it cuts it (:meth:`Shards.fill`). After the bundled plan's parse
the global tokenizer holds 37,600 entries (11,800 of them the single characters).

The file (built once per installation, :func:`write`): a magic line, the header's length, the header
(``marshal``: total, the single characters' frequencies and tags, and for each first character the
string of its second characters and the offsets of their pieces), then the pieces (``marshal``: a
pair's words with their frequencies, and their tags). The reader maps the file and parses a piece the
first time any tokenizer needs it.
"""

from __future__ import annotations

import marshal
import mmap
import struct
import threading
from array import array
from collections.abc import Iterable
from pathlib import Path
from typing import Any

MAGIC = b"plangraph jieba shards 1\n"
_LEN = struct.Struct("<Q")

Piece = tuple[dict[str, int], dict[str, str]]  # a pair's words → frequency, and → POS tag


def pieces(
    freq: dict[str, int], tags: dict[str, str]
) -> tuple[dict[str, int], dict[str, str], dict[str, Piece]]:
    """The single characters' frequencies and tags, and the pieces by first pair."""
    single_freq = {w: f for w, f in freq.items() if len(w) == 1}
    single_tags = {w: t for w, t in tags.items() if len(w) == 1}
    by_pair: dict[str, Piece] = {}
    for w, f in freq.items():
        if len(w) > 1:
            piece = by_pair.get(w[:2])
            if piece is None:
                piece = by_pair[w[:2]] = ({}, {})
            piece[0][w] = f
    for w, t in tags.items():
        if len(w) > 1:
            by_pair[w[:2]][1][w] = t  # every tagged word has a frequency (jieba reads both from one line)
    return single_freq, single_tags, by_pair


def encode(freq: dict[str, int], total: int, tags: dict[str, str]) -> bytes:
    """The file's bytes for a dictionary (``freq`` as ``Tokenizer.gen_pfdict`` builds it)."""
    single_freq, single_tags, by_pair = pieces(freq, tags)
    blobs: list[bytes] = []
    offset = 0
    index: dict[str, tuple[str, bytes]] = {}
    by_first: dict[str, list[str]] = {}
    for pair in sorted(by_pair):
        by_first.setdefault(pair[0], []).append(pair[1])
    for first, seconds in by_first.items():
        ends = array("Q", [offset])
        for second in seconds:
            blob = marshal.dumps(by_pair[first + second])
            blobs.append(blob)
            offset += len(blob)
            ends.append(offset)
        index[first] = ("".join(seconds), ends.tobytes())
    header = marshal.dumps((total, single_freq, single_tags, index))
    return b"".join([MAGIC, _LEN.pack(len(header)), header, *blobs])


class Shards:
    """The dictionary of one cache file (or its bytes), read piece by piece; shared by the tokenizers
    that start from it (each keeps the pieces it took in its own ``FREQ``)."""

    def __init__(self, data: bytes | mmap.mmap) -> None:
        if data[: len(MAGIC)] != MAGIC:
            raise ValueError("not a jieba shards file")
        start = len(MAGIC) + _LEN.size
        (size,) = _LEN.unpack_from(data, len(MAGIC))
        self.total, self.single_freq, self.single_tags, self._index = marshal.loads(
            data[start : start + size]
        )
        self._data = data
        self._base = start + size
        self._ends: dict[str, memoryview] = {}
        self._parsed: dict[str, Piece | None] = {}
        self._lock = threading.Lock()

    @classmethod
    def open(cls, path: Path) -> Shards:
        with path.open("rb") as f:
            return cls(mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ))

    def piece(self, pair: str) -> Piece | None:
        """The words (and their tags) that start with ``pair``; None where the dictionary has none."""
        try:
            return self._parsed[pair]
        except KeyError:
            pass
        found: Piece | None = None
        entry = self._index.get(pair[0])
        if entry is not None and len(pair) == 2:
            j = entry[0].find(pair[1])
            if j >= 0:
                ends = self._ends.get(pair[0])
                if ends is None:
                    ends = self._ends[pair[0]] = memoryview(entry[1]).cast("Q")
                found = marshal.loads(self._data[self._base + ends[j] : self._base + ends[j + 1]])
        self._parsed[pair] = found
        return found

    def start(self, tok: Any) -> None:
        """Give a new tokenizer the dictionary: the single characters now, the rest as it cuts."""
        tok.FREQ, tok.total, tok.initialized = dict(self.single_freq), self.total, True
        tok._pairs = set()  # the pairs whose pieces it holds
        tok._tag_tables = []  # the tag tables that follow it (its POS tokenizers')

    def follow(self, tok: Any, table: dict[str, str]) -> None:
        """Keep ``table`` (a POS tokenizer's tags) filled with the tags of what ``tok`` holds."""
        with self._lock:
            table.update(self.single_tags)
            for pair in tok._pairs:
                piece = self.piece(pair)
                if piece is not None:
                    table.update(piece[1])
            tok._tag_tables.append(table)

    def fill(self, tok: Any, text: str) -> None:
        """Give ``tok`` every piece a cut of ``text`` can look up (the pieces of its pairs)."""
        pairs = {text[i : i + 2] for i in range(len(text) - 1)}
        if pairs <= tok._pairs:
            return
        with self._lock:
            self._take(tok, pairs - tok._pairs)

    def _take(self, tok: Any, pairs: Iterable[str]) -> None:
        freq, tables = tok.FREQ, tok._tag_tables
        for pair in pairs:
            piece = self.piece(pair)
            if piece is not None:
                freq.update(piece[0])
                for table in tables:
                    table.update(piece[1])
            tok._pairs.add(pair)  # after its words: another thread that sees the pair finds them
