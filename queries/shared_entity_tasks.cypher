// title: Tasks of two plans that share entities
// description: Pairs of tasks, one from each plan, whose text (the task's own or its subtasks') names the same entities (bodies, technologies, regions, documents, initiatives), most shared first.
// param plan_a STRING: first plan id | example: informatization-14fyp
// param plan_b STRING: second plan id | example: informatization-14fyp
// max_rows: 1000
MATCH (a:Task)-[:HAS_SUBTASK*0..1]->(ea)-[:MENTIONS]->(x)
WHERE a.plan_id = $plan_a
MATCH (b:Task)-[:HAS_SUBTASK*0..1]->(eb)-[:MENTIONS]->(x)
WHERE b.plan_id = $plan_b AND a.eid <> b.eid
RETURN a.eid AS task_a, a.title AS title_a, b.eid AS task_b, b.title AS title_b, count(DISTINCT x) AS shared
ORDER BY shared DESC, task_a, task_b
