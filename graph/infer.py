"""Semantic links a plan states only implicitly: which goal a task serves, which goal an indicator measures.

``SERVES`` (Task, Subtask, Column, Action → Goal): the weighted signals of :mod:`graph.serves` — tf-idf
cosine over the plan's own terms (:mod:`graph.terms`: jieba words of the folded text with the curated
lexicons as user words, the genre's degree words dropped; idf over the elements of this plan), the goal's
own words in the source's title (the genre's generic words of ``graph/genre_terms.yaml`` discounted), the
lead sentences, the plan's order, the votes of a task's subtasks and 专栏, the indicators measuring the
goal — with a context blend for subtasks and 专栏, scaled to the plan's mean best score; goals are
asserted per source by :func:`graph.serves.ranked`. The weights and thresholds are
:class:`graph.inferconfig.InferConfig`, fitted across plans (:mod:`graph.fit`, ``bench/serves.py``).

Every edge carries ``score``, ``rank`` (1 = the best goal for that source), ``method`` (the signals used),
``terms`` (the shared terms contributing most), ``evidence`` (``terms | the element's sentence | the
goal's sentence``, the sentences that share most of those terms), ``confidence`` (``low`` when the best
two goal areas are close) and ``source: "inferred"``; a pair without a shared term is never asserted.

``MEASURES`` (Indicator → Goal): the indicator table's 类别 groups indicators by goal area, so a category's
vector (its name ×3 and the names of its indicators, in finer search-mode words) is compared with each goal
area and the best is asserted for every indicator of the category (others above ``measures_ratio`` × the
best); an indicator without a category is compared by its own name. An overall index (a category such as
总体发展水平, or an indicator outside the numbered rows) measures the overall goal (``…/goal-overall``),
method ``overall-index``.

Curated overrides: ``links.yaml`` beside the plan's source (see :func:`load_curation`) adds or removes edges;
curated edges have ``source: "curated"``, score 1.0, a ``note``, and win over inference.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import networkx as nx

from plangraph.graph.inferconfig import DEFAULT_CONFIG, InferConfig
from plangraph.graph.serves import (
    OVERALL_SLUG,
    SERVES_SOURCES,
    Signals,
    Vectors,
    combine,
    goal_fields,
    is_overall,
    method,
    ranked,
    signals,
    vectors,
)
from plangraph.graph.terms import (
    Corpus,
    best_sentence,
    cosine,
    fine_terms,
    key,
    sentences,
    shared_terms,
    terms,
)
from plangraph.ingest.errors import PlanGraphError
from plangraph.ingest.models import Element, Kind, PlanDocument
from plangraph.ingest.yamlfile import place, read_user_yaml

__all__ = [
    "DEFAULT_CONFIG",
    "OVERALL_SLUG",
    "InferConfig",
    "Link",
    "infer_links",
    "infer_measures",
    "infer_serves",
    "is_overall",
    "key",
    "sentences",
    "terms",
]

METHOD_MEASURES = "indicator-category-tfidf"
METHOD_OVERALL = "overall-index"
_OVERALL_CATEGORY = re.compile(r"总体|综合|总指数|总体发展水平")


class LinksError(PlanGraphError):
    """E120: a curated links file (links.yaml) that cannot be applied; the message names the entry."""

    code = "E120"


@dataclass(frozen=True)
class Link:
    """A SERVES or MEASURES edge before it enters the graph."""

    rel: str
    start: str
    end: str
    score: float
    method: str
    terms: tuple[str, ...] = ()
    evidence: str = ""
    source: str = "inferred"
    note: str = ""
    rank: int = 0
    confidence: str = ""  # SERVES: "high", or "low" when the best two goals are close

    def props(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "score": round(self.score, 4),
            "rank": self.rank,
            "method": self.method,
            "evidence": self.evidence,
            "terms": list(self.terms),
            "source": self.source,
        }
        if self.note:
            out["note"] = self.note
        if self.confidence:
            out["confidence"] = self.confidence
        return out


# -- SERVES ------------------------------------------------------------------------------------------
def _texts(e: Element) -> list[str]:
    return [e.title, e.text, *(t for c in e.children for t in (c.title, c.text))]


def measured_by(doc: PlanDocument, measures: Sequence[Link]) -> dict[str, list[Element]]:
    """Goal eid → the indicators ``measures`` (MEASURES links) tie to it, in document order."""
    elements = {e.eid: e for e in doc.elements()}
    out: dict[str, list[Element]] = {}
    for lk in measures:
        if lk.rel == "MEASURES":
            out.setdefault(lk.end, []).append(elements[lk.start])
    return out


def serves_signals(
    doc: PlanDocument, cfg: InferConfig = DEFAULT_CONFIG, measures: Sequence[Link] | None = None
) -> tuple[Vectors, Signals]:
    """The term vectors and the SERVES signals of a plan (``measures``: its MEASURES, inferred if None)."""
    vec = vectors(doc, cfg)
    found = infer_measures(doc, cfg) if measures is None else measures
    return vec, signals(doc, cfg, vec, measured_by(doc, found))


def serves_scores(doc: PlanDocument, cfg: InferConfig = DEFAULT_CONFIG) -> dict[str, dict[str, float]]:
    """Source eid → goal eid → score, for every Task, Subtask, Column and Action and every Goal."""
    vec, sig = serves_signals(doc, cfg)
    return combine(sig, cfg) if vec.goals and vec.sources else {}


def infer_serves(
    doc: PlanDocument, cfg: InferConfig = DEFAULT_CONFIG, measures: Sequence[Link] | None = None
) -> list[Link]:
    """The SERVES links of a plan, ranked per source, in document order of the sources."""
    vec, sig = serves_signals(doc, cfg, measures)
    if not vec.goals or not vec.sources:
        return []
    elements = {e.eid: e for e in doc.elements()}
    links: list[Link] = []
    for c in ranked(combine(sig, cfg), cfg, vec.shares, sig.tasks):
        src_v, gv = vec.sources[c.source], vec.goals[c.goal]
        shared = shared_terms(src_v, gv, cfg.max_terms)
        weights = {t: src_v[t] * gv[t] for t in shared}
        evidence = _evidence(
            shared,
            best_sentence(_texts(elements[c.source]), weights),
            best_sentence([elements[c.goal].text], weights),
        )
        links.append(
            Link(
                "SERVES",
                c.source,
                c.goal,
                c.score,
                method(cfg),
                shared,
                evidence,
                rank=c.rank,
                confidence=c.confidence,
            )
        )
    return links


def _evidence(shared: Sequence[str], src_sentence: str, goal_sentence: str) -> str:
    return f"{'、'.join(shared)} | {src_sentence} | {goal_sentence}"


# -- MEASURES ----------------------------------------------------------------------------------------
def infer_measures(doc: PlanDocument, cfg: InferConfig = DEFAULT_CONFIG) -> list[Link]:
    """The MEASURES links of a plan, in document order of the indicators."""
    elements = doc.elements()
    goals = [e for e in elements if e.kind == Kind.GOAL]
    indicators = [e for e in elements if e.kind == Kind.INDICATOR]
    if not goals or not indicators:
        return []
    overall = next((g for g in goals if is_overall(g.eid)), None)
    areas = [g for g in goals if g is not overall]
    corpus = Corpus(elements, tokens=fine_terms)
    gv = {g.eid: corpus.vector(goal_fields(g, cfg)) for g in areas}
    by_cat: dict[str, list[Element]] = {}
    for i in indicators:
        by_cat.setdefault(_category(i), []).append(i)
    catv = {c: corpus.vector([(c, 3.0)] + [(i.title, 1.0) for i in members]) for c, members in by_cat.items()}
    links: list[Link] = []
    for ind in indicators:
        cat = _category(ind)
        if overall is not None and (
            _OVERALL_CATEGORY.search(cat) or (ind.ordinal is None and len(indicators) > 1) or not areas
        ):
            links.append(
                Link(
                    "MEASURES",
                    ind.eid,
                    overall.eid,
                    1.0,
                    METHOD_OVERALL,
                    (cat,) if cat else (),
                    f"{cat or ind.title} | {ind.title} | {overall.title}",
                    rank=1,
                )
            )
            continue
        # the category groups indicators by goal area; an indicator without one speaks for itself
        iv = catv[cat] if cat else corpus.vector([(ind.title, 1.0)])
        row = {g: cosine(iv, v) for g, v in gv.items()}
        ranked = sorted(row.items(), key=lambda kv: (-kv[1], kv[0]))
        best = ranked[0][1] if ranked else 0.0
        rank = 0
        for g, score in ranked:
            if score < cfg.measures_min_score or score < cfg.measures_ratio * best:
                break
            shared = shared_terms(iv, gv[g], cfg.max_terms)
            if not shared:
                continue
            rank += 1
            weights = {t: iv[t] * gv[g][t] for t in shared}
            goal = next(x for x in areas if x.eid == g)
            links.append(
                Link(
                    "MEASURES",
                    ind.eid,
                    g,
                    score,
                    METHOD_MEASURES,
                    shared,
                    _evidence(
                        shared,
                        f"{cat} / {ind.title}" if cat else ind.title,
                        best_sentence([goal.text], weights),
                    ),
                    rank=rank,
                )
            )
    return links


def _category(ind: Element) -> str:
    return (ind.indicator.category if ind.indicator is not None else None) or ""


# -- curation ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Curation:
    """Curated edges to add (they win over inference) and (rel, start, end) triples to remove."""

    add: tuple[Link, ...] = ()
    remove: tuple[tuple[str, str, str, str], ...] = ()  # rel, start, end, note
    path: str = ""


_REL_ENDS = {"SERVES": ({k.value for k in SERVES_SOURCES}, {"Goal"}), "MEASURES": ({"Indicator"}, {"Goal"})}


def load_curation(path: Path, doc: PlanDocument) -> Curation:
    """Read ``links.yaml``: ``links: [{rel, from, to, op: add|remove, note}]``; eids may omit the plan prefix.

    Unknown eids, wrong labels and a missing note are errors naming the file and the entry.
    """
    data = read_user_yaml(path, lambda message, line: LinksError(message, where=place(path, line))) or {}
    entries = data.get("links") or [] if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise LinksError(f"{path}: expected a mapping with a 'links' list")
    kinds = {e.eid: e.kind.value for e in doc.elements()}
    add: list[Link] = []
    remove: list[tuple[str, str, str, str]] = []
    for n, entry in enumerate(entries, 1):
        where = f"{path}: link {n}"
        if not isinstance(entry, dict):
            raise LinksError(f"{where}: expected a mapping with rel, from, to, op, note")
        rel = str(entry.get("rel", "")).upper()
        if rel not in _REL_ENDS:
            raise LinksError(
                f"{where}: rel {entry.get('rel')!r} is not one of {', '.join(sorted(_REL_ENDS))}"
            )
        op = str(entry.get("op", "add"))
        if op not in ("add", "remove"):
            raise LinksError(f"{where}: op {op!r} is not add or remove")
        note = str(entry.get("note") or "").strip()
        if not note:
            raise LinksError(f"{where}: a curated link needs a note saying why")
        ends = []
        for side, allowed in zip(("from", "to"), _REL_ENDS[rel], strict=True):
            ref = str(entry.get(side, ""))
            eid = ref if ref in kinds else f"{doc.plan.id}/{ref}"
            if eid not in kinds:
                raise LinksError(f"{where}: {side} {ref!r} is not an element of {doc.plan.id}")
            if kinds[eid] not in allowed:
                raise LinksError(
                    f"{where}: {side} {ref!r} is a {kinds[eid]}, {rel} needs {' or '.join(sorted(allowed))}"
                )
            ends.append(eid)
        if op == "add":
            add.append(Link(rel, ends[0], ends[1], 1.0, "curated", (), note, source="curated", note=note))
        else:
            remove.append((rel, ends[0], ends[1], note))
    return Curation(tuple(add), tuple(remove), str(path))


def apply_curation(links: Sequence[Link], curation: Curation) -> list[Link]:
    """Inferred links minus the removed ones, with the curated ones (which replace an inferred twin);
    ranks are recomputed per (rel, source): curated first, then by score."""
    removed = {(r, s, e) for r, s, e, _ in curation.remove}
    curated = {(c.rel, c.start, c.end): c for c in curation.add}
    kept = [lk for lk in links if (lk.rel, lk.start, lk.end) not in removed | set(curated)]
    merged = kept + [c for k, c in curated.items() if k not in removed]
    order = {(lk.rel, lk.start): i for i, lk in enumerate(links)}
    groups: dict[tuple[str, str], list[Link]] = {}
    for lk in merged:
        groups.setdefault((lk.rel, lk.start), []).append(lk)
    out: list[Link] = []
    for k in sorted(groups, key=lambda k: (order.get(k, len(order)), k)):
        ranked = sorted(groups[k], key=lambda lk: (lk.source != "curated", -lk.score, lk.end))
        out += [replace(lk, rank=i) for i, lk in enumerate(ranked, 1)]
    return out


def infer_links(
    doc: PlanDocument, *, links: Path | None = None, cfg: InferConfig = DEFAULT_CONFIG
) -> list[Link]:
    """SERVES and MEASURES of a plan, with the curated overrides in ``links`` (a links.yaml) applied."""
    measures = infer_measures(doc, cfg)
    found = infer_serves(doc, cfg, measures) + measures
    if links is None:
        return found
    return apply_curation(found, load_curation(links, doc))


def add_links(
    g: nx.MultiDiGraph, doc: PlanDocument, *, links: Path | None = None, cfg: InferConfig = DEFAULT_CONFIG
) -> None:
    """Add the SERVES and MEASURES edges of ``doc`` to ``g`` (its nodes must already be there)."""
    for lk in infer_links(doc, links=links, cfg=cfg):
        g.add_edge(lk.start, lk.end, key=lk.rel, type=lk.rel, **lk.props())
