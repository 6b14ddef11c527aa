// title: Plans in the store, with counts
// description: Every plan with its issuer, date, period, how many goals, tasks, indicators and priority actions it holds, and its source file and sha256.
// title_zh: 存储中的规划及其数量
// description_zh: 每个规划的发文机关、日期、期限，所含目标、任务、指标和优先行动的数量，以及源文件和 sha256。
// max_rows: 100000
MATCH (p:Plan)
OPTIONAL MATCH (p)-[:HAS_GOAL]->(g:Goal)
WITH p, count(g) AS goals
OPTIONAL MATCH (p)-[:HAS_TASK]->(t:Task)
WITH p, goals, count(t) AS tasks
OPTIONAL MATCH (p)-[:HAS_INDICATOR]->(i:Indicator)
WITH p, goals, tasks, count(i) AS indicators
OPTIONAL MATCH (p)-[:HAS_ACTION]->(a:Action)
WITH p, goals, tasks, indicators, count(a) AS actions
RETURN p.eid AS plan_id, p.title AS title, p.issuer AS issuer, p.issued AS issued,
       p.period_start AS period_start, p.period_end AS period_end,
       goals, tasks, indicators, actions, p.source_path AS source_path, p.source_sha256 AS source_sha256
ORDER BY plan_id
