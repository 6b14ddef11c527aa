// title: Tasks of a plan
// description: The plan's tasks (重大任务) in document order with the number of subtasks and 专栏 of each.
// title_zh: 规划的任务
// description_zh: 规划的任务（重大任务），按文中顺序，附各任务的子任务数和专栏数。
// param plan STRING: plan id | example: informatization-14fyp
// param_zh plan: 规划 id
// max_rows: 500
MATCH (t:Task)
WHERE t.plan_id = $plan
OPTIONAL MATCH (t)-[:HAS_SUBTASK]->(s:Subtask)
WITH t, count(DISTINCT s) AS subtasks
OPTIONAL MATCH (t)-[:HAS_COLUMN]->(c:`Column`)
RETURN t.eid AS eid, t.ordinal AS ordinal, t.title AS title, subtasks, count(DISTINCT c) AS columns,
       t.char_start AS char_start, t.char_end AS char_end, t.line_start AS line_start, t.line_end AS line_end
ORDER BY char_start
