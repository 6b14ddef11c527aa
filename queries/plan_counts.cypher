// title: Element counts of every plan
// description: How many parts, goals, indicators, tasks, subtasks, 专栏, actions, dated targets and measures each plan in the store has (one row per plan and kind that it has).
// title_zh: 各规划的要素数量
// description_zh: 存储中每个规划的部分、目标、指标、任务、子任务、专栏、优先行动、阶段目标和指标项各有多少（每个规划的每类要素一行）。
// max_rows: 10000
MATCH (n:Part) RETURN n.plan_id AS plan_id, 'Part' AS kind, count(n) AS count
UNION ALL
MATCH (n:Goal) RETURN n.plan_id AS plan_id, 'Goal' AS kind, count(n) AS count
UNION ALL
MATCH (n:Indicator) RETURN n.plan_id AS plan_id, 'Indicator' AS kind, count(n) AS count
UNION ALL
MATCH (n:Task) RETURN n.plan_id AS plan_id, 'Task' AS kind, count(n) AS count
UNION ALL
MATCH (n:Subtask) RETURN n.plan_id AS plan_id, 'Subtask' AS kind, count(n) AS count
UNION ALL
MATCH (n:`Column`) RETURN n.plan_id AS plan_id, 'Column' AS kind, count(n) AS count
UNION ALL
MATCH (n:Action) RETURN n.plan_id AS plan_id, 'Action' AS kind, count(n) AS count
UNION ALL
MATCH (n:Target) RETURN n.plan_id AS plan_id, 'Target' AS kind, count(n) AS count
UNION ALL
MATCH (n:Measure) RETURN n.plan_id AS plan_id, 'Measure' AS kind, count(n) AS count
