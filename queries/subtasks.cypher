// title: Subtasks of a plan
// description: Every subtask of the plan's tasks in document order, with the task it belongs to.
// title_zh: 规划的子任务
// description_zh: 规划各任务的每个子任务，按文中顺序，附所属任务。
// param plan STRING: plan id | example: informatization-14fyp
// param_zh plan: 规划 id
// max_rows: 1000
MATCH (t:Task)-[:HAS_SUBTASK]->(s:Subtask)
WHERE t.plan_id = $plan
RETURN s.eid AS eid, s.ordinal AS ordinal, s.title AS title, t.eid AS task, s.char_start AS char_start,
       s.char_end AS char_end, s.line_start AS line_start, s.line_end AS line_end
ORDER BY char_start
