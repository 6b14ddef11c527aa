// title: Priority actions serving a goal
// description: The priority actions (优先行动) that serve a goal, best first, with evidence.
// title_zh: 服务于某目标的优先行动
// description_zh: 服务于一个目标的优先行动，按得分排序，附证据。
// param goal STRING: eid of the goal | example: informatization-14fyp/goal-5
// param_zh goal: 目标的 eid
// max_rows: 100
MATCH (a:Action)-[r:SERVES]->(g:Goal {eid: $goal})
RETURN a.eid AS eid, a.ordinal AS ordinal, a.title AS title, r.score AS score, r.rank AS rank,
       r.source AS source, r.evidence AS evidence, r.confidence AS confidence, a.char_start AS char_start, a.char_end AS char_end, a.line_start AS line_start, a.line_end AS line_end
ORDER BY score DESC, eid
