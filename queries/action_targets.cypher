// title: Priority actions and their dated targets
// description: Each priority action (优先行动) of a plan with its dated targets (行动目标: 到 2023 年…; 到 2025 年…).
// title_zh: 优先行动及其阶段目标
// description_zh: 规划的每项优先行动及其带年份的目标（行动目标：到 2023 年……；到 2025 年……）。
// param plan STRING: plan id | example: informatization-14fyp
// param_zh plan: 规划 id
// max_rows: 200
MATCH (a:Action)-[:HAS_TARGET]->(t:Target)
WHERE a.plan_id = $plan
RETURN t.eid AS eid, t.title AS title, t.year AS year, a.eid AS action_eid, a.ordinal AS ordinal,
       a.title AS action, t.char_start AS char_start, t.char_end AS char_end, t.line_start AS line_start, t.line_end AS line_end
ORDER BY ordinal, year
