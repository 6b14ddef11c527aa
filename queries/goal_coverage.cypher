// title: Goal coverage
// description: Every goal of a plan with the number of tasks, actions and 专栏 that serve it; goals with weak or no coverage come first.
// param plan STRING: plan id | example: informatization-14fyp
// max_rows: 100
MATCH (g:Goal)
WHERE g.plan_id = $plan
OPTIONAL MATCH (t:Task)-[:SERVES]->(g)
WITH g, count(DISTINCT t) AS tasks
OPTIONAL MATCH (a:Action)-[:SERVES]->(g)
WITH g, tasks, count(DISTINCT a) AS actions
OPTIONAL MATCH (c:`Column`)-[:SERVES]->(g)
RETURN g.eid AS eid, g.title AS title, tasks, actions, count(DISTINCT c) AS columns,
       tasks + actions AS total
ORDER BY total, eid
