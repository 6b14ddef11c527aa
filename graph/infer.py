"""Semantic links a plan states only implicitly: which goal a task serves, which goal an indicator measures.

``SERVES`` (Task, Subtask, Column, Action → Goal) — lexical similarity, weighted by how specific each term is
within the plan:

1. terms: jieba words (a private tokenizer with the curated lexicons as user dictionary, so 工业互联网 or
   数字丝绸之路 stay whole) of the text folded to a match key (NFKC, variant glyphs, no spaces); a term is a
   run of ≥ 2 Chinese characters or a Latin/number token such as 5G, IPv6; the genre's degree words
   (显著, 基本, 不断, 更加 …, :data:`STOP_TERMS`) are dropped;
2. weights: tf-idf, sublinear tf, idf over every element of the plan (so 发展, 推进, 体系 weigh little and
   算力, 北斗, 营商环境 weigh much); a goal is its lead (×2) and its paragraph; a source is its title (×2),
   its text, its children's titles and (×0.5) their text — the subtasks of a task, the items of a 专栏 or
   an action, the targets of an action;
3. similarity: cosine; then each goal's column of scores is divided by that goal's mean similarity over
   all sources (times the mean over all goals), so a goal written in generic words does not attract every
   element; then a subtask's or 专栏's score is blended with its context (0.6 own + 0.4 the task it belongs
   to, or the subtask the 专栏 follows);
4. assertion: per source, goals are ranked by score; the best is asserted when its score is at least
   ``serves_min_score``, every other goal when it is also at least ``serves_ratio`` × the best. The overall
   goal (``…/goal-overall``) sums up the goal areas, so it is a candidate only when no goal area reaches
   the threshold.

Every edge carries ``score``, ``rank`` (1 = the best goal for that source), ``method``, ``terms`` (the shared
terms contributing most) and ``evidence`` (``terms | the element's sentence | the goal's sentence``, the
sentences that share most of those terms), and ``source: "inferred"``.

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

import logging
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import networkx as nx
import yaml

from ingest.lexicon import load_lexicon
from ingest.models import Element, Kind, PlanDocument
from ingest.normalize import fold

SERVES_SOURCES = (Kind.TASK, Kind.SUBTASK, Kind.COLUMN, Kind.ACTION)
METHOD_SERVES = "tfidf-cosine/goal-normalised/context-blend"
METHOD_MEASURES = "indicator-category-tfidf"
METHOD_OVERALL = "overall-index"
OVERALL_SLUG = "goal-overall"

_TERM = re.compile(r"^(?:[\u4e00-\u9fff]{2,}|[A-Za-z][A-Za-z0-9+.]*|\d+[A-Za-z][A-Za-z0-9]*)$")
_SENTENCE = re.compile(r"[^。；！？\n]+[。；！？]?")
#: Degree words of the genre's target sentences (到 2025 年，…显著提升 / 基本形成 / 更加完善): they say how
#: far, not what, and would tie every target-like sentence to every goal.
STOP_TERMS = frozenset(
    ("显著", "明显", "基本", "初步", "不断", "更加", "大幅", "日益", "日趋", "日臻", "稳步", "进一步")
)
_OVERALL_CATEGORY = re.compile(r"总体|综合|总指数|总体发展水平")


@dataclass(frozen=True)
class InferConfig:
    """Weights and thresholds of the inference (defaults: see ``docs/schema.md``)."""

    title_weight: float = 2.0
    child_text_weight: float = 0.5
    context_weight: float = 0.4
    serves_min_score: float = 0.08
    serves_ratio: float = 0.8
    measures_min_score: float = 0.03
    measures_ratio: float = 0.9
    max_terms: int = 6


DEFAULT_CONFIG = InferConfig()


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
        return out


# -- terms ------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    """A private jieba tokenizer (the global one is changed by ingest) with the lexicons as user words."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.initialize()
    words = sorted({key(s) for e in load_lexicon().entries for s in e.surfaces})
    for w in words:
        if w:
            tk.add_word(w)
    return tk


def key(text: str) -> str:
    """Text folded for matching: NFKC (full-width → half-width), variant glyphs, no white space.

    >>> key("加快 5G 商用网络")
    '加快5G商用网络'
    """
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", fold(text)))


@lru_cache(maxsize=65536)
def terms(text: str, fine: bool = False) -> tuple[str, ...]:
    """The content terms of ``text`` in order (``fine``: also the shorter words inside longer ones).

    >>> terms("建设泛在智能的网络连接设施")
    ('建设', '智能', '网络连接', '设施')
    """
    tk = _tokenizer()
    k = key(text)
    words = tk.cut_for_search(k) if fine else tk.cut(k)
    return tuple(w for w in words if _TERM.match(w) and w not in STOP_TERMS)


def sentences(text: str) -> list[str]:
    """The sentences of a text (ending at 。；！？ or a line break).

    >>> sentences("加强数据治理。强化协同；健全制度")
    ['加强数据治理。', '强化协同；', '健全制度']
    """
    return [m.group(0).strip() for m in _SENTENCE.finditer(text) if m.group(0).strip()]


class Corpus:
    """Inverse document frequencies over the elements of one plan (each element's title and own text)."""

    def __init__(self, elements: Sequence[Element], fine: bool = False):
        self.fine = fine
        df: Counter[str] = Counter()
        for e in elements:
            df.update(set(terms(e.title, fine)) | set(terms(e.text, fine)))
        self.n = len(elements)
        self.idf = {t: math.log((self.n + 1) / (c + 1)) + 1.0 for t, c in df.items()}
        self.unseen = math.log(self.n + 1) + 1.0

    def vector(self, fields: Iterable[tuple[str, float]]) -> dict[str, float]:
        tf: dict[str, float] = {}
        for text, weight in fields:
            for t in terms(text, self.fine):
                tf[t] = tf.get(t, 0.0) + weight
        return {t: (1.0 + math.log(c) if c >= 1 else c) * self.idf.get(t, self.unseen) for t, c in tf.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    num = sum(a[t] * b[t] for t in sorted(a.keys() & b.keys()))
    den = math.sqrt(sum(x * x for x in a.values())) * math.sqrt(sum(x * x for x in b.values()))
    return num / den if den else 0.0


def shared_terms(a: dict[str, float], b: dict[str, float], n: int) -> tuple[str, ...]:
    """The ``n`` shared terms that contribute most to the cosine (ties: by term)."""
    common = sorted(a.keys() & b.keys(), key=lambda t: (-a[t] * b[t], t))
    return tuple(common[:n])


def best_sentence(texts: Iterable[str], weights: dict[str, float]) -> str:
    """The sentence whose terms weigh most in ``weights`` (first one on ties)."""
    best, best_w = "", 0.0
    for text in texts:
        for s in sentences(text):
            w = sum(weights.get(t, 0.0) for t in sorted(set(terms(s))))
            if w > best_w:
                best, best_w = s, w
    return best


# -- SERVES ------------------------------------------------------------------------------------------
def _fields(e: Element, cfg: InferConfig) -> list[tuple[str, float]]:
    f = [(e.title, cfg.title_weight), (e.text, 1.0)]
    for c in e.children:
        if c.kind in (Kind.SUBTASK, Kind.COLUMN_ITEM, Kind.ACTION_ITEM, Kind.TARGET):
            f += [(c.title, 1.0), (c.text, cfg.child_text_weight)]
        elif c.kind == Kind.COLUMN:
            f += [(c.title, 1.0)] + [(i.title, cfg.child_text_weight) for i in c.children]
    return f


def _texts(e: Element) -> list[str]:
    return [e.title, e.text, *(t for c in e.children for t in (c.title, c.text))]


def _goal_fields(g: Element, cfg: InferConfig) -> list[tuple[str, float]]:
    return [(g.lead or "", cfg.title_weight), (g.text, 1.0)]


def _context(doc: PlanDocument) -> dict[str, str]:
    """Source eid → the eid whose score it is blended with (a subtask's task, the subtask a 专栏 follows)."""
    out: dict[str, str] = {}
    for e in doc.root.walk():
        for c in e.children:
            if c.kind == Kind.SUBTASK and e.kind == Kind.TASK:
                out[c.eid] = e.eid
            elif c.kind == Kind.COLUMN:
                if c.follows is not None:
                    out[c.eid] = c.follows
                elif e.kind in SERVES_SOURCES:
                    out[c.eid] = e.eid
    return out


@dataclass(frozen=True)
class _Vectors:
    corpus: Corpus
    goals: dict[str, dict[str, float]]
    sources: dict[str, dict[str, float]]


def _vectors(doc: PlanDocument, cfg: InferConfig) -> _Vectors:
    elements = doc.elements()
    corpus = Corpus(elements)
    return _Vectors(
        corpus,
        {g.eid: corpus.vector(_goal_fields(g, cfg)) for g in elements if g.kind == Kind.GOAL},
        {s.eid: corpus.vector(_fields(s, cfg)) for s in elements if s.kind in SERVES_SOURCES},
    )


def serves_scores(
    doc: PlanDocument, cfg: InferConfig = DEFAULT_CONFIG, vectors: _Vectors | None = None
) -> dict[str, dict[str, float]]:
    """Source eid → goal eid → score, for every Task, Subtask, Column and Action and every Goal."""
    vec = vectors or _vectors(doc, cfg)
    if not vec.goals or not vec.sources:
        return {}
    raw = {s: {g: cosine(sv, gv) for g, gv in vec.goals.items()} for s, sv in vec.sources.items()}
    means = {g: sum(raw[s][g] for s in raw) / len(raw) for g in vec.goals}
    overall = sum(means.values()) / len(means)
    norm = {
        s: {g: (v * overall / means[g] if means[g] else 0.0) for g, v in row.items()}
        for s, row in raw.items()
    }
    ctx = _context(doc)
    w = cfg.context_weight
    return {
        s: ({g: (1 - w) * v + w * norm[ctx[s]][g] for g, v in row.items()} if ctx.get(s) in norm else row)
        for s, row in norm.items()
    }


def infer_serves(doc: PlanDocument, cfg: InferConfig = DEFAULT_CONFIG) -> list[Link]:
    """The SERVES links of a plan, ranked per source, in document order of the sources."""
    vec = _vectors(doc, cfg)
    scores = serves_scores(doc, cfg, vec)
    elements = {e.eid: e for e in doc.elements()}
    links: list[Link] = []
    for s, full_row in scores.items():
        row = _areas_first(full_row, cfg.serves_min_score)
        ranked = sorted(row.items(), key=lambda kv: (-kv[1], kv[0]))
        best = ranked[0][1] if ranked else 0.0
        if best < cfg.serves_min_score:
            continue
        src_v = vec.sources[s]
        rank = 0
        for g, score in ranked:
            if score < cfg.serves_min_score or score < cfg.serves_ratio * best:
                break
            goal, gv = elements[g], vec.goals[g]
            shared = shared_terms(src_v, gv, cfg.max_terms)
            if not shared:
                continue
            rank += 1
            weights = {t: src_v[t] * gv[t] for t in shared}
            evidence = _evidence(
                shared, best_sentence(_texts(elements[s]), weights), best_sentence([goal.text], weights)
            )
            links.append(Link("SERVES", s, g, score, METHOD_SERVES, shared, evidence, rank=rank))
    return links


def is_overall(eid: str) -> bool:
    return eid.rsplit("/", 1)[-1] == OVERALL_SLUG


def _areas_first(row: dict[str, float], min_score: float) -> dict[str, float]:
    """The overall goal sums up the goal areas: it is a candidate only when no goal area reaches the
    threshold (or when the plan has no goal areas)."""
    areas = {g: v for g, v in row.items() if not is_overall(g)}
    if areas and max(areas.values()) >= min_score:
        return areas
    return row


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
    corpus = Corpus(elements, fine=True)
    gv = {g.eid: corpus.vector(_goal_fields(g, cfg)) for g in areas}
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
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = data.get("links") or [] if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ValueError(f"{path}: expected a mapping with a 'links' list")
    kinds = {e.eid: e.kind.value for e in doc.elements()}
    add: list[Link] = []
    remove: list[tuple[str, str, str, str]] = []
    for n, entry in enumerate(entries, 1):
        where = f"{path}: link {n}"
        if not isinstance(entry, dict):
            raise ValueError(f"{where}: expected a mapping with rel, from, to, op, note")
        rel = str(entry.get("rel", "")).upper()
        if rel not in _REL_ENDS:
            raise ValueError(
                f"{where}: rel {entry.get('rel')!r} is not one of {', '.join(sorted(_REL_ENDS))}"
            )
        op = str(entry.get("op", "add"))
        if op not in ("add", "remove"):
            raise ValueError(f"{where}: op {op!r} is not add or remove")
        note = str(entry.get("note") or "").strip()
        if not note:
            raise ValueError(f"{where}: a curated link needs a note saying why")
        ends = []
        for side, allowed in zip(("from", "to"), _REL_ENDS[rel], strict=True):
            ref = str(entry.get(side, ""))
            eid = ref if ref in kinds else f"{doc.plan.id}/{ref}"
            if eid not in kinds:
                raise ValueError(f"{where}: {side} {ref!r} is not an element of {doc.plan.id}")
            if kinds[eid] not in allowed:
                raise ValueError(
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
    found = infer_serves(doc, cfg) + infer_measures(doc, cfg)
    if links is None:
        return found
    return apply_curation(found, load_curation(links, doc))


def add_links(
    g: nx.MultiDiGraph, doc: PlanDocument, *, links: Path | None = None, cfg: InferConfig = DEFAULT_CONFIG
) -> None:
    """Add the SERVES and MEASURES edges of ``doc`` to ``g`` (its nodes must already be there)."""
    for lk in infer_links(doc, links=links, cfg=cfg):
        g.add_edge(lk.start, lk.end, key=lk.rel, type=lk.rel, **lk.props())
