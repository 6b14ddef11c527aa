// title: Goal coverage
// description: Every goal of a plan with the number of tasks, actions and 专栏 that serve it; goals with weak or no coverage come first.
// title_zh: 目标覆盖情况
// description_zh: 规划的每个目标及服务于它的任务、优先行动和专栏的数量；覆盖薄弱或无覆盖的目标在前。
// param plan STRING: plan id | example: informatization-14fyp
// param_zh plan: 规划 id
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
