// title: Priority actions of a plan
// description: The plan's priority actions (优先行动) in document order with the number of their items and dated targets.
// title_zh: 规划的优先行动
// description_zh: 规划的优先行动，按文中顺序，附各行动的条目数和阶段目标数。
// param plan STRING: plan id | example: informatization-14fyp
// param_zh plan: 规划 id
// max_rows: 500
MATCH (a:Action)
WHERE a.plan_id = $plan
OPTIONAL MATCH (a)-[:HAS_ITEM]->(i:ActionItem)
WITH a, count(DISTINCT i) AS items
OPTIONAL MATCH (a)-[:HAS_TARGET]->(t:Target)
RETURN a.eid AS eid, a.ordinal AS ordinal, a.title AS title, items, count(DISTINCT t) AS targets,
       a.char_start AS char_start, a.char_end AS char_end, a.line_start AS line_start, a.line_end AS line_end
ORDER BY char_start
