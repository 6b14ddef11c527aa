// title: Tasks of two plans that share entities
// description: Pairs of tasks, one from each plan, whose text (the task's own or its subtasks') names the same entities (bodies, technologies, regions, documents, initiatives), most shared first.
// title_zh: 两个规划中共享实体的任务
// description_zh: 两个规划各出一项、文本（任务自身或其子任务的文本）提到相同实体（机构、技术、地区、文件、倡议）的任务对，共享最多者在前。
// param plan_a STRING: first plan id | example: informatization-14fyp
// param_zh plan_a: 第一个规划的 id
// param plan_b STRING: second plan id | example: informatization-14fyp
// param_zh plan_b: 第二个规划的 id
// max_rows: 1000
MATCH (a:Task)-[:HAS_SUBTASK*0..1]->(ea)-[:MENTIONS]->(x)
WHERE a.plan_id = $plan_a
MATCH (b:Task)-[:HAS_SUBTASK*0..1]->(eb)-[:MENTIONS]->(x)
WHERE b.plan_id = $plan_b AND a.eid <> b.eid
RETURN a.eid AS task_a, a.title AS title_a, b.eid AS task_b, b.title AS title_b, count(DISTINCT x) AS shared
ORDER BY shared DESC, task_a, task_b
