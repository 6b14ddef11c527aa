"""Links across plans: the measure an indicator shares with other plans, and citations of plans in the store.

- **Metrics** (built with each plan, :func:`add_metrics`): every Indicator gets ``OF_METRIC`` to a shared
  ``Metric`` node named by its normalised name and unit (:func:`metric_key`), or by the curated mapping
  ``graph/metrics.yaml`` where that names the indicator's title as a variant. Two plans whose indicators
  are the same measure point at one Metric node, so a query follows it from plan to plan with its values
  and years. Built per plan, the link is part of the plan's atomic load.
- **Citations** (written into a store by :func:`link_citations`, after plans are added or replaced): an
  element that names a document 《…》 whose title is the title of a plan in the store, up to the usual
  variants (:func:`title_key`: quotes, spaces, full-width forms, years in brackets), gets ``CITES`` to that
  plan's Plan node, with the sentence that names it as evidence. The link joins two plans, so it is
  derived from what the store holds: run again after any load (``plangraph add`` does, and a rerun repairs
  a run that was killed before it).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import networkx as nx

from plangraph.graph.schema import KEY, METRIC, PLAN, REL_TYPES
from plangraph.graph.stores.base import Store
from plangraph.ingest.normalize import match_key
from plangraph.ingest.yamlfile import read_curated

METRICS_FILE = Path(__file__).with_name("metrics.yaml")
#: quotes and title marks that variants of a title add or drop
_QUOTES = re.compile(r"[《》〈〉“”‘’\"'「」『』]")
#: a period in brackets after a title: （2021-2025年）, (2021—2025 年)
_BRACKET_YEARS = re.compile(r"[(（]\s*(?:19|20)\d{2}\s*年?\s*[-—–~～至到]+\s*(?:19|20)\d{2}\s*年?\s*[)）]")
_SENTENCE_END = "。；！？\n"


def title_key(title: str) -> str:
    """The key two spellings of one plan's title share.

    >>> title_key("《“十四五”国家信息化规划》") == title_key("十四五国家信息化规划")
    True
    >>> title_key("智慧健康养老产业发展行动计划（2021-2025年）")
    '智慧健康养老产业发展行动计划'
    >>> title_key("中华人民共和国国民经济和社会发展第十四个五年规划和 2035 年远景目标纲要")[-12:]
    '和2035年远景目标纲要'
    """
    return _QUOTES.sub("", _BRACKET_YEARS.sub("", match_key(title)))


#: Two plans compared (``/plans/compare``, ``plangraph compare``): part of the answer → the canned query
#: that gives it (parameters ``plan_a``, ``plan_b``).
COMPARISON = {
    "shared_entities": "shared_entities",
    "task_pairs": "shared_entity_tasks",
    "shared_metrics": "shared_metrics",
    "citations": "citations_between",
}


# -- metrics ----------------------------------------------------------------------------------------
@lru_cache(maxsize=4)
def curated_metrics(path: Path = METRICS_FILE) -> dict[str, tuple[str, str]]:
    """``match_key(variant)`` → (canonical name, unit) from the curated mapping file."""
    data = read_curated(path) or {}
    out: dict[str, tuple[str, str]] = {}
    for i, entry in enumerate(data.get("metrics") or [], 1):
        if not isinstance(entry, dict) or not entry.get("name"):
            raise ValueError(f"{path}: metric {i} needs a name (and unit, variants)")
        name, unit = str(entry["name"]), str(entry.get("unit") or "")
        for variant in [name, *(entry.get("variants") or [])]:
            out[match_key(str(variant))] = (match_key(name), match_key(unit).lower())
    return out


def metric_key(title: str, unit: str | None, *, curated: bool = True) -> tuple[str, str, str]:
    """(name, unit, method) of the measure an indicator states: the curated mapping (unless
    ``curated=False``), else the title and unit normalised (full-width forms, spaces).

    >>> metric_key("IPv6 活跃用户数", "亿")
    ('IPv6活跃用户数', '亿', 'name+unit')
    """
    name = match_key(title)
    mapped = curated_metrics().get(name) if curated else None
    if mapped is not None:
        return mapped[0], mapped[1], "curated"
    return name, match_key(unit or "").lower(), "name+unit"


def metric_eid(name: str, unit: str) -> str:
    return f"metric/{name}" + (f"[{unit}]" if unit else "")


def add_metrics(g: nx.MultiDiGraph, plan_id: str, *, curated: bool = True) -> None:
    """``Indicator -OF_METRIC-> Metric`` for each indicator of ``plan_id`` in ``g`` (sorted by eid)."""
    indicators = sorted(
        n for n, a in g.nodes(data=True) if a.get("label") == "Indicator" and a.get("plan_id") == plan_id
    )
    for eid in indicators:
        attrs = g.nodes[eid]
        name, unit, method = metric_key(attrs["title"], attrs.get("unit"), curated=curated)
        if not name:
            continue
        target = metric_eid(name, unit)
        if target not in g:
            props = {KEY: target, "plan_id": "", "title": name, "name": name, "unit": unit or None}
            g.add_node(target, label=METRIC, **{k: v for k, v in props.items() if v is not None})
        written = attrs["title"] + (f"（{attrs['unit']}）" if attrs.get("unit") else "")
        g.add_edge(
            eid,
            target,
            key="OF_METRIC",
            type="OF_METRIC",
            method=method,
            score=1.0,
            evidence=written,
            source="curated" if method == "curated" else "inferred",
        )


# -- citations --------------------------------------------------------------------------------------
CITED = "MATCH (e)-[:MENTIONS]->(d:Document) RETURN e, d.title AS cited"
PLANS = "MATCH (p:Plan) RETURN p.eid AS plan_id, p.title AS title"
EXISTING = "MATCH (e)-[:CITES]->(p:Plan) RETURN e.eid AS s, p.eid AS t"
_ALL = 10_000_000


def citing_sentence(text: str, cited: str) -> str:
    """The sentence of ``text`` that names ``cited`` (the whole text when it is not found verbatim).

    >>> citing_sentence("总体要求。落实《信息化规划》部署，加快建设。其他。", "信息化规划")
    '落实《信息化规划》部署，加快建设。'
    """
    at = text.find(cited)
    if at < 0:
        return text.strip()
    start = max(text.rfind(c, 0, at) for c in _SENTENCE_END) + 1
    ends = [i for i in (text.find(c, at + len(cited)) for c in _SENTENCE_END) if i >= 0]
    end = min(ends) + 1 if ends else len(text)
    return text[start:end].strip()


def citations(store: Store) -> dict[tuple[str, str, str], list[dict[str, Any]]]:
    """The CITES rows the store's plans call for and it lacks, grouped as in
    :class:`graph.stores.rows.PlanRows`."""
    plans: dict[str, list[str]] = {}
    for row in store.read(PLANS, max_rows=_ALL).records():
        if row["title"]:
            plans.setdefault(title_key(row["title"]), []).append(row["plan_id"])
    have = {(r["s"], r["t"]) for r in store.read(EXISTING, max_rows=_ALL).records()}
    rows: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    endpoints = set(REL_TYPES["CITES"].endpoints)
    for element, cited in sorted(store.read(CITED, max_rows=_ALL).rows, key=lambda r: (r[0][KEY], r[1])):
        label = element["_label"]
        for target in plans.get(title_key(cited), []):
            if (
                target == element["plan_id"]
                or (element[KEY], target) in have
                or (label, PLAN) not in endpoints
            ):
                continue
            have.add((element[KEY], target))
            evidence = citing_sentence(element.get("text") or element.get("title") or "", cited)
            props = {"method": "title-match", "score": 1.0, "evidence": evidence, "source": "inferred"}
            rows.setdefault(("CITES", label, PLAN), []).append(
                {"s": element[KEY], "t": target, "props": props}
            )
    return rows


def link_citations(store: Store) -> int:
    """Write the missing CITES links of the store's plans (one transaction); how many were written."""
    rows = citations(store)
    if rows:
        store.write_links(rows)
    return sum(len(v) for v in rows.values())
