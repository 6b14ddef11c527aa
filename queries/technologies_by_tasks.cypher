// title: Technologies by the number of tasks that mention them
// description: Technologies ranked by how many tasks mention them in the task's own text, its subtasks, its 专栏 or their items.
// title_zh: 按任务数排列的技术
// description_zh: 按提到它们的任务数排列的技术（任务自身文本、其子任务、专栏或专栏条目中提到）。
// param plan STRING: plan id | example: informatization-14fyp
// param_zh plan: 规划 id
// max_rows: 100
MATCH (t:Task)-[:HAS_SUBTASK|HAS_COLUMN|HAS_ITEM*0..2]->(e)-[:MENTIONS]->(x:Technology)
WHERE t.plan_id = $plan
RETURN x.name AS technology, count(DISTINCT t) AS tasks, count(DISTINCT e) AS elements
ORDER BY tasks DESC, elements DESC, technology
