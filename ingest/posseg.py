"""jieba's part-of-speech HMM decoding (``jieba.posseg.viterbi``) with the same answers, faster.

The body recogniser (:mod:`ingest.bodies`) reads words with their POS flags; jieba decodes a run of
characters its dictionary does not know with a Viterbi search over about 250 states, and its search tries
every previous state for every state, although a state can be reached from only a few (an ``E`` of a tag
only from a ``B`` or ``M`` of the same tag). That search was most of the recogniser's time. This one
tries, for each state, only the previous states with a transition into it, and falls back to jieba's full
comparison wherever that could decide differently (no such previous state, or only impossible ones), so
the route and its probability are the ones jieba finds: ``tests/test_posseg.py`` compares both on the
corpus's text and on random strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MIN_FLOAT = -3.14e100  # jieba's emission of a character a state never emits
MIN_INF = float("-inf")  # jieba's transition that does not exist

State = tuple[str, str]


_INTO: dict[int, tuple[Any, dict[State, tuple[tuple[State, float], ...]]]] = {}


def _into(trans_p: Any) -> dict[State, tuple[tuple[State, float], ...]]:
    """For each state, the states with a transition into it and its log probability (built once per
    table; the table is held so its id stays its own)."""
    held = _INTO.get(id(trans_p))
    if held is None or held[0] is not trans_p:
        into: dict[State, list[tuple[State, float]]] = {}
        for y0, nexts in trans_p.items():
            for y, p in nexts.items():
                into.setdefault(y, []).append((y0, p))
        held = _INTO[id(trans_p)] = (trans_p, {y: tuple(v) for y, v in into.items()})
    return held[1]


def viterbi(
    obs: str, states: Mapping[str, Any], start_p: Mapping[State, float], trans_p: Any, emit_p: Any
) -> tuple[float, list[State]]:
    """Same signature and result as ``jieba.posseg.viterbi.viterbi``."""
    into = _into(trans_p)
    all_states = trans_p.keys()
    v: dict[State, float] = {}
    paths: list[dict[State, Any]] = [{}]
    for y in states.get(obs[0], all_states):
        v[y] = start_p[y] + emit_p[y].get(obs[0], MIN_FLOAT)
        paths[0][y] = ""
    for t in range(1, len(obs)):
        prev = [x for x in paths[t - 1] if len(trans_p[x]) > 0]
        expect = {y for x in prev for y in trans_p[x]}
        obs_states = set(states.get(obs[t], all_states)) & expect
        if not obs_states:
            obs_states = expect if expect else set(all_states)
        ch = obs[t]
        nv: dict[State, float] = {}
        path: dict[State, State] = {}
        for y in obs_states:
            em = emit_p[y].get(ch, MIN_FLOAT)
            best: tuple[float, State] | None = None
            for y0, tr in into.get(y, ()):
                if y0 in v and len(trans_p[y0]) > 0:
                    cand = (v[y0] + tr + em, y0)
                    if best is None or cand > best:
                        best = cand
            if best is None or best[0] == MIN_INF:  # only impossible transitions: jieba's own comparison
                best = max((v[y0] + trans_p[y0].get(y, MIN_INF) + em, y0) for y0 in prev)
            nv[y], path[y] = best
        v = nv
        paths.append(path)
    prob, state = max((v[y], y) for y in paths[-1])
    route: list[Any] = [None] * len(obs)
    for i in range(len(obs) - 1, -1, -1):
        route[i] = state
        state = paths[i][state]
    return prob, route
