"""Curated lexicons (``ingest/lexicons/*.yaml``): entity names, their aliases and attributes.

One file per entity kind; each entry has ``name`` (canonical) and ``aliases``; other fields (category,
level, quoted) are kept as attributes. Aliases fold to the canonical name.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from plangraph.ingest.models import EntityKind
from plangraph.ingest.normalize import fold
from plangraph.ingest.yamlfile import read_curated

LEXICON_DIR = Path(__file__).parent / "lexicons"
FILES: dict[EntityKind, str] = {
    EntityKind.BODY: "bodies.yaml",
    EntityKind.TECHNOLOGY: "technologies.yaml",
    EntityKind.REGION: "regions.yaml",
    EntityKind.INITIATIVE: "initiatives.yaml",
}


@dataclass(frozen=True)
class Entry:
    kind: EntityKind
    name: str
    aliases: tuple[str, ...]
    attrs: tuple[tuple[str, str], ...]

    @property
    def surfaces(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Lexicon:
    entries: tuple[Entry, ...]

    def canonical(self, kind: EntityKind, surface: str) -> str | None:
        return _index(self).get((kind, fold(surface).replace(" ", "")))

    def entry(self, kind: EntityKind, name: str) -> Entry | None:
        return next((e for e in self.entries if e.kind == kind and e.name == name), None)


@lru_cache(maxsize=8)
def _index(lex: Lexicon) -> dict[tuple[EntityKind, str], str]:
    out: dict[tuple[EntityKind, str], str] = {}
    for e in lex.entries:
        for s in e.surfaces:
            out[(e.kind, fold(s).replace(" ", ""))] = e.name
    return out


@lru_cache(maxsize=4)
def load_lexicon(directory: Path = LEXICON_DIR) -> Lexicon:
    entries: list[Entry] = []
    for kind, fname in FILES.items():
        path = directory / fname
        if not path.is_file():
            continue
        data = read_curated(path) or []
        for i, item in enumerate(data):
            if not isinstance(item, dict) or not item.get("name"):
                raise ValueError(f"{path}: entry {i + 1} has no name")
            attrs = tuple(sorted((k, str(v)) for k, v in item.items() if k not in ("name", "aliases")))
            aliases = tuple(str(a) for a in item.get("aliases") or ())
            entries.append(Entry(kind, str(item["name"]), aliases, attrs))
    return Lexicon(tuple(entries))
