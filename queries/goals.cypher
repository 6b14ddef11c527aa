// title: Goals of a plan
// description: The plan's goals in document order (the overall goal statement first), with their source lines.
// title_zh: 规划的目标
// description_zh: 规划的目标，按文中顺序（总体目标表述在前），附其原文行号。
// param plan STRING: plan id | example: informatization-14fyp
// param_zh plan: 规划 id
// max_rows: 200
MATCH (g:Goal)
WHERE g.plan_id = $plan
RETURN g.eid AS eid, g.ordinal AS ordinal, g.title AS title, g.year AS year, g.char_start AS char_start,
       g.char_end AS char_end, g.line_start AS line_start, g.line_end AS line_end
ORDER BY char_start
