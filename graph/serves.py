"""SERVES scores: the signals that tie a task, subtask, 专栏 or action (a *source*) to a goal, and their
weighted sum.

Each signal is a number per (source, goal), computed from the plan alone:

- ``lexical``: tf-idf cosine (idf over the elements of this plan, so the plan's own specific terms weigh
  most) between the goal (lead ×2, paragraph) and the source (title ×2, text, children's titles and ×0.5
  their text), each goal's column divided by its mean over all sources (times the mean over all goals), so
  a goal written in generic words does not attract everything;
- ``title``: the goal's own words in the source's title — the idf-weighted share of the title's (finer,
  search-mode) terms that occur in the goal's lead, the genre's generic words (:func:`graph.terms.
  generic_terms`: 建设, 提升, 能力, 体系 …) weighted ``generic_weight`` (titles and goal leads are phrased
  with them: 构建…体系, 提升…能力 / …能力显著增强);
- ``lead``: cosine between the source's title and lead sentence and the goal's lead;
- ``order``: plans often run their goals and task parts in the same order: ``1 − |p_s − p_g|`` with p the
  relative position (task i of n at (i − ½)/n, goal j of m likewise); a subtask or 专栏 takes its task's
  position; actions and the overall goal have none (0);
- ``votes``: for a task, the share of its subtasks and 专栏 whose best ``lexical`` goal area is this goal;
- ``indicators``: cosine between the source and the names and categories of the indicators that measure
  the goal (the indicator table's categories follow the goal areas).
- ``bigrams``: the ``lexical`` cosine over the same fields with pairs of adjacent Chinese characters for
  terms (:func:`graph.terms.char_bigrams`, idf over this plan's elements), without the goal normalisation:
  it matches what the word cut splits apart (数字产业化 / 数字产业集群, 智能化 / 智能).

The score is ``lexical + Σ weight × signal`` (weights in :class:`graph.inferconfig.InferConfig`), and a
subtask's or 专栏's score is blended with its context's (``1 − context_weight`` own + ``context_weight`` the
task it belongs to or the subtask the 专栏 follows). :func:`ranked` asserts goals from the scores.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from plangraph.graph.inferconfig import InferConfig
from plangraph.graph.terms import Corpus, char_bigrams, cosine, fine_terms, generic_terms, sentences, terms
from plangraph.ingest.models import Element, Kind, PlanDocument

SERVES_SOURCES = (Kind.TASK, Kind.SUBTASK, Kind.COLUMN, Kind.ACTION)
OVERALL_SLUG = "goal-overall"
SIGNALS = ("lexical", "title", "lead", "order", "votes", "indicators", "bigrams")
#: The InferConfig field weighting each signal after ``lexical`` (weight 1).
SIGNAL_WEIGHTS = {
    "title": "title_signal",
    "lead": "lead_signal",
    "order": "order_signal",
    "votes": "vote_signal",
    "indicators": "indicator_signal",
    "bigrams": "bigram_signal",
}

Matrix = dict[str, dict[str, float]]  # source eid → goal eid → value


def is_overall(eid: str) -> bool:
    return eid.rsplit("/", 1)[-1] == OVERALL_SLUG


def _fields(e: Element, cfg: InferConfig) -> list[tuple[str, float]]:
    f = [(e.title, cfg.title_weight), (e.text, 1.0)]
    for c in e.children:
        if c.kind in (Kind.SUBTASK, Kind.COLUMN_ITEM, Kind.ACTION_ITEM, Kind.TARGET):
            f += [(c.title, 1.0), (c.text, cfg.child_text_weight)]
        elif c.kind == Kind.COLUMN:
            f += [(c.title, 1.0)] + [(i.title, cfg.child_text_weight) for i in c.children]
    return f


def goal_fields(g: Element, cfg: InferConfig) -> list[tuple[str, float]]:
    return [(g.lead or "", cfg.title_weight), (g.text, 1.0)]


def context(doc: PlanDocument) -> dict[str, str]:
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
class Vectors:
    corpus: Corpus
    goals: dict[str, dict[str, float]]
    sources: dict[str, dict[str, float]]

    def shares(self, source: str, goal: str) -> bool:
        """Whether the source and the goal share a term (an edge without one would have no evidence)."""
        return not self.sources[source].keys().isdisjoint(self.goals[goal].keys())


def vectors(doc: PlanDocument, cfg: InferConfig) -> Vectors:
    elements = doc.elements()
    corpus = Corpus(elements)
    return Vectors(
        corpus,
        {g.eid: corpus.vector(goal_fields(g, cfg)) for g in elements if g.kind == Kind.GOAL},
        {s.eid: corpus.vector(_fields(s, cfg)) for s in elements if s.kind in SERVES_SOURCES},
    )


@dataclass(frozen=True)
class TitleShares:
    """The ``title`` signal's sums, apart for the genre's generic words and the others, so that their
    weight is a parameter of the combination (fitted with the other weights) rather than of the vectors:
    per source the idf of its title's terms, per (source, goal) the idf of those in the goal's lead."""

    own: dict[str, tuple[float, float]]  # source → (specific, generic) idf sum of its title's terms
    hit: dict[str, dict[str, tuple[float, float]]]  # source → goal → the same for the shared ones

    def share(self, generic_weight: float) -> Matrix:
        """Source → goal → (specific + w × generic) shared idf / (the same over the title's terms)."""
        w = generic_weight
        out: Matrix = {}
        for s, row in self.hit.items():
            spec, gen = self.own[s]
            total = spec + w * gen
            out[s] = {g: (hs + w * hg) / total if total else 0.0 for g, (hs, hg) in row.items()}
        return out


@dataclass(frozen=True)
class Signals:
    """Every signal of one plan, and what combining them needs (no weights: those come with the config)."""

    sources: tuple[str, ...]  # document order
    goals: tuple[str, ...]
    context: dict[str, str]
    tasks: frozenset[str]  # the sources that are Tasks (task parts)
    values: dict[str, Matrix]  # signal name → matrix (``title`` with the generic words at full weight)
    raw_lexical: Matrix  # the cosine before the goal normalisation
    goal_factor: dict[str, float]  # goal → (mean over all goals) / (this goal's mean cosine)
    title_shares: TitleShares | None = None  # to weigh the generic words of the title signal

    def matrix(self, name: str, cfg: InferConfig) -> Matrix:
        """The signal ``name`` as ``cfg`` combines it (the title signal with ``cfg.generic_weight``)."""
        if name == "title" and cfg.generic_weight != 1.0 and self.title_shares is not None:
            return self.title_shares.share(cfg.generic_weight)
        return self.values[name]


def _goal_factors(raw: Matrix, goals: Sequence[str]) -> dict[str, float]:
    if not goals or not raw:  # a plan without goals (or without tasks) has nothing to normalise
        return {}
    means = {g: sum(row[g] for row in raw.values()) / len(raw) for g in goals}
    overall = sum(means.values()) / len(means)
    return {g: overall / means[g] if means[g] else 0.0 for g in goals}


def _normalised(raw: Matrix, factor: dict[str, float], strength: float = 1.0) -> Matrix:
    return {s: {g: v * factor[g] ** strength for g, v in row.items()} for s, row in raw.items()}


def _idf_sums(words: set[str], corpus: Corpus) -> tuple[float, float]:
    """The idf sum of ``words`` apart for the specific and the generic ones."""
    generic = generic_terms()
    ordered = sorted(words)  # the same sums, to the last bit, in every process
    spec = sum(corpus.idf.get(t, corpus.unseen) for t in ordered if t not in generic)
    return spec, sum(corpus.idf.get(t, corpus.unseen) for t in ordered if t in generic)


def _title_shares(titles: dict[str, str], goal_leads: dict[str, str], corpus: Corpus) -> TitleShares:
    own = {s: set(terms(t, True)) for s, t in titles.items()}
    leads = {g: set(terms(lead, True)) for g, lead in goal_leads.items()}
    return TitleShares(
        {s: _idf_sums(words, corpus) for s, words in own.items()},
        {s: {g: _idf_sums(words & lead, corpus) for g, lead in leads.items()} for s, words in own.items()},
    )


def _task_of(eid: str, ctx: dict[str, str], tasks: set[str]) -> str | None:
    seen: set[str] = set()
    while eid not in tasks:
        if eid in seen or eid not in ctx:
            return None
        seen.add(eid)
        eid = ctx[eid]
    return eid


def _positions(ids: Sequence[str]) -> dict[str, float]:
    return {e: (i + 0.5) / len(ids) for i, e in enumerate(ids)}


def signals(
    doc: PlanDocument, cfg: InferConfig, vec: Vectors, measured_by: dict[str, list[Element]]
) -> Signals:
    """The signals of ``doc`` (``measured_by``: goal eid → the indicators inferred to measure it)."""
    elements = {e.eid: e for e in doc.elements()}
    sources = tuple(vec.sources)
    goals = tuple(vec.goals)
    areas = [g for g in goals if not is_overall(g)]
    ctx = context(doc)
    raw = {s: {g: cosine(sv, gv) for g, gv in vec.goals.items()} for s, sv in vec.sources.items()}
    factor = _goal_factors(raw, goals)
    lexical = _normalised(raw, factor)
    fine = Corpus(list(elements.values()), tokens=fine_terms)
    goal_lead = {g: elements[g].lead or elements[g].title for g in goals}
    shares = _title_shares({s: elements[s].title for s in sources}, goal_lead, fine)
    title = shares.share(1.0)
    lead_v = {g: vec.corpus.vector([(goal_lead[g], 1.0)]) for g in goals}
    src_lead = {
        s: vec.corpus.vector([(elements[s].title, 1.0), (next(iter(sentences(elements[s].text)), ""), 1.0)])
        for s in sources
    }
    lead = {s: {g: cosine(src_lead[s], lead_v[g]) for g in goals} for s in sources}
    task_ids = [e.eid for e in doc.by_kind(Kind.TASK)]
    task_pos, goal_pos = _positions(task_ids), _positions(areas)
    order: Matrix = {}
    votes: Matrix = {s: dict.fromkeys(goals, 0.0) for s in sources}
    children: dict[str, list[str]] = {}
    for s in sources:
        t = _task_of(s, ctx, set(task_ids))
        order[s] = {
            g: (1 - abs(task_pos[t] - goal_pos[g]) if t is not None and g in goal_pos else 0.0) for g in goals
        }
        if t is not None and t != s:
            children.setdefault(t, []).append(s)
    for t, kids in children.items():
        for k in kids:
            best = max(areas, key=lambda g: (lexical[k][g], -areas.index(g)), default=None)
            if best is not None:
                votes[t][best] += 1 / len(kids)
    ind_v = {
        g: vec.corpus.vector(
            [(i.title, 1.0) for i in measured_by.get(g, [])]
            + [
                (c, 1.0)
                for c in sorted({i.indicator.category or "" for i in measured_by.get(g, []) if i.indicator})
            ]
        )
        for g in goals
    }
    indicators = {s: {g: cosine(vec.sources[s], ind_v[g]) for g in goals} for s in sources}
    pairs = Corpus(list(elements.values()), tokens=char_bigrams)
    pair_g = {g: pairs.vector(goal_fields(elements[g], cfg)) for g in goals}
    pair_s = {s: pairs.vector(_fields(elements[s], cfg)) for s in sources}
    bigrams = {s: {g: cosine(pair_s[s], pair_g[g]) for g in goals} for s in sources}
    return Signals(
        sources,
        goals,
        ctx,
        frozenset(task_ids),
        {
            "lexical": lexical,
            "title": title,
            "lead": lead,
            "order": order,
            "votes": votes,
            "indicators": indicators,
            "bigrams": bigrams,
        },
        raw,
        factor,
        shares,
    )


def method(cfg: InferConfig) -> str:
    """The ``method`` of an inferred SERVES edge: the signals with a weight, and the steps after them.

    >>> from plangraph.graph.inferconfig import InferConfig
    >>> method(InferConfig(title_signal=0.3, plan_scale=1.0))
    'weighted-signals/lexical+title/context-blend/plan-scaled'
    >>> method(InferConfig(title_signal=0.3, generic_weight=0.5))
    'weighted-signals/lexical+title/generic-discount/context-blend'
    """
    used = ["lexical", *(n for n, f in SIGNAL_WEIGHTS.items() if getattr(cfg, f))]
    steps = ["generic-discount"] * (cfg.generic_weight != 1.0 and bool(cfg.title_signal))
    steps += ["context-blend"] * bool(cfg.context_weight) + ["plan-scaled"] * bool(cfg.plan_scale)
    steps += ["goal-keeps-task"] * cfg.goal_keeps_task
    return "/".join(["weighted-signals", "+".join(used), *steps])


def combine(sig: Signals, cfg: InferConfig) -> Matrix:
    """Source → goal → score: the weighted signals, then the context blend; with ``plan_scale``, divided
    by the plan's mean best score (so that the thresholds mean the same on plans written more or less
    alike their goals)."""
    weights = [
        (sig.matrix(name, cfg), w) for name, field in SIGNAL_WEIGHTS.items() if (w := getattr(cfg, field))
    ]
    lex = (
        sig.values["lexical"]
        if cfg.goal_norm == 1.0
        else _normalised(sig.raw_lexical, sig.goal_factor, cfg.goal_norm)
    )
    own = {s: {g: lex[s][g] + sum(w * m[s][g] for m, w in weights) for g in sig.goals} for s in sig.sources}
    w = cfg.context_weight
    out = {
        s: (
            {g: (1 - w) * v + w * own[sig.context[s]][g] for g, v in row.items()}
            if sig.context.get(s) in own
            else row
        )
        for s, row in own.items()
    }
    if cfg.plan_scale and out:
        scale = sum(max(row.values(), default=0.0) for row in out.values()) / len(out)
        if scale > 0:
            out = {s: {g: v / scale for g, v in row.items()} for s, row in out.items()}
    return out


@dataclass(frozen=True)
class Choice:
    """One asserted goal of a source: its score, rank and whether the margin to the runner-up is small."""

    source: str
    goal: str
    score: float
    rank: int
    confidence: str  # "high", or "low" when the best two goal areas are within confidence_margin


def _shown(v: float, cfg: InferConfig) -> float:
    """The score an edge carries: with ``plan_scale``, ``v / (1 + v)`` — in [0, 1), 0.5 for the plan's mean
    best score, so a curated edge (1.0) still outranks every inferred one; else the score itself."""
    return v / (1 + v) if cfg.plan_scale else v


def ranked(
    scores: Matrix,
    cfg: InferConfig,
    allowed: Callable[[str, str], bool] | None = None,
    tasks: frozenset[str] = frozenset(),
) -> list[Choice]:
    """Per source (in order), the asserted goals, best first.

    The best goal area is asserted when its score is at least ``serves_min_score``, every other area when
    it is also at least ``serves_ratio`` × the best; the overall goal (which sums up the areas) joins when
    it reaches ``overall_ratio`` × the best area (``overall_task_ratio`` for the ``tasks``: a task part
    answers the overall goal more often than its subtasks do), and is the candidate when no area reaches
    the threshold (or the plan has no areas). At most ``max_goals`` are asserted for a task part,
    ``max_goals_part`` for a subtask, 专栏 or action. With ``goal_keeps_task``, a goal area that no task
    part was asserted for is then asserted for the task part with its highest score (a plan's goal areas
    are each answered by some task part). ``confidence`` is
    ``low`` when the runner-up area is within ``confidence_margin`` (relative) of the best. ``allowed``:
    whether a (source, goal) pair may be asserted at all (the inference asserts only pairs with shared
    terms, so that every edge has evidence).
    """
    ok = allowed if allowed is not None else (lambda s, g: True)
    picked: dict[str, list[tuple[str, float]]] = {}
    conf: dict[str, str] = {}
    for s, row in scores.items():
        areas = sorted(((g, v) for g, v in row.items() if not is_overall(g)), key=lambda kv: (-kv[1], kv[0]))
        overall = [(g, v) for g, v in row.items() if is_overall(g)]
        best = areas[0][1] if areas else 0.0
        if best >= cfg.serves_min_score:
            chosen = [(g, v) for g, v in areas if v >= cfg.serves_min_score and v >= cfg.serves_ratio * best]
            ratio = cfg.overall_task_ratio if s in tasks else cfg.overall_ratio
            chosen += [(g, v) for g, v in overall if v >= ratio * best]
        else:
            chosen = [(g, v) for g, v in overall if v >= cfg.serves_min_score]
        chosen.sort(key=lambda kv: (-kv[1], kv[0]))
        chosen = [(g, v) for g, v in chosen if ok(s, g)]
        picked[s] = chosen[: cfg.max_goals if s in tasks else cfg.max_goals_part]
        margin = (best - areas[1][1]) / best if len(areas) > 1 and best > 0 else 1.0
        conf[s] = "low" if margin < cfg.confidence_margin else "high"
    if cfg.goal_keeps_task:
        _keep_goal_tasks(scores, picked, ok, tasks)
    return [
        Choice(s, g, _shown(v, cfg), i, conf[s])
        for s, chosen in picked.items()
        for i, (g, v) in enumerate(chosen, 1)
    ]


def _keep_goal_tasks(
    scores: Matrix,
    picked: dict[str, list[tuple[str, float]]],
    ok: Callable[[str, str], bool],
    tasks: frozenset[str],
) -> None:
    """Give each goal area that no task part was asserted for the task part with its highest score (in
    place, after that task's own goals)."""
    order = [s for s in scores if s in tasks]
    served = {g for s in order for g, _ in picked[s]}
    areas = sorted({g for s in order for g in scores[s] if not is_overall(g)} - served)
    for g in areas:
        cands = [s for s in order if ok(s, g)]
        if cands:
            t = max(cands, key=lambda s: (scores[s][g], -order.index(s)))
            picked[t].append((g, scores[t][g]))
