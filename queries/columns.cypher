// title: 专栏 of a plan
// description: The plan's boxed programmes (专栏) in document order, the task each stands in and the number of items.
// title_zh: 规划的专栏
// description_zh: 规划的专栏，按文中顺序，附所在任务和条目数。
// param plan STRING: plan id | example: informatization-14fyp
// param_zh plan: 规划 id
// max_rows: 500
MATCH (c:`Column`)
WHERE c.plan_id = $plan
OPTIONAL MATCH (t:Task)-[:HAS_COLUMN]->(c)
OPTIONAL MATCH (c)-[:HAS_ITEM]->(i:ColumnItem)
RETURN c.eid AS eid, c.ordinal AS ordinal, c.title AS title, t.eid AS task, count(DISTINCT i) AS items,
       c.char_start AS char_start, c.char_end AS char_end, c.line_start AS line_start, c.line_end AS line_end
ORDER BY char_start
