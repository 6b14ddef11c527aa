"""Mutable drafts of elements, built by classify and extract, frozen with eids by ``ids.freeze``."""

from __future__ import annotations

from dataclasses import dataclass, field

from plangraph.ingest.models import IndicatorValues, Kind, Mention, Responsibility, TableValues
from plangraph.ingest.segment import Block


@dataclass
class Piece:
    """A stretch of the element's own text with its map to the original file."""

    text: str
    offsets: tuple[int, ...]  # len(text)+1
    line_start: int

    @classmethod
    def of(cls, block: Block, start: int = 0, end: int | None = None) -> Piece:
        end = len(block.text) if end is None else end
        stop = block.offsets[end - 1] + 1 if end > start else block.offsets[start]
        offs = (*block.offsets[start:end], stop)
        return cls(block.text[start:end], offs, block.line_start)


@dataclass
class Draft:
    kind: Kind
    title: str
    blocks: list[Block]  # every block the element covers (for its span)
    pieces: list[Piece] = field(default_factory=list)  # its own text (not its children's)
    ordinal: int | None = None
    lead: str | None = None
    meaning: str | None = None
    meaning_source: str | None = None  # title | position | content | metadata
    marker: str | None = None  # the numbering as written, for numbered or dashed elements
    indicator: IndicatorValues | None = None
    table: TableValues | None = None
    year: int | None = None
    follows: Draft | None = None
    slug: str | None = None  # eid segment override (e.g. "goal-overall", "target-2023")
    children: list[Draft] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    responsibilities: list[Responsibility] = field(default_factory=list)
    span_override: tuple[int, int] | None = None  # original char span when narrower than blocks

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.pieces)

    def walk(self) -> list[Draft]:
        out = [self]
        for c in self.children:
            out.extend(c.walk())
        return out
