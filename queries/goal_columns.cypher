// title: 专栏 serving a goal
// description: The boxed programmes (专栏) that serve a goal, best first, with evidence.
// title_zh: 服务于某目标的专栏
// description_zh: 服务于一个目标的专栏，按得分排序，附证据。
// param goal STRING: eid of the goal | example: informatization-14fyp/goal-1
// param_zh goal: 目标的 eid
// max_rows: 100
MATCH (c:`Column`)-[r:SERVES]->(g:Goal {eid: $goal})
RETURN c.eid AS eid, c.ordinal AS ordinal, c.title AS title, r.score AS score, r.rank AS rank,
       r.source AS source, r.evidence AS evidence, r.confidence AS confidence, c.char_start AS char_start, c.char_end AS char_end, c.line_start AS line_start, c.line_end AS line_end
ORDER BY score DESC, eid
