// title: Indicators of a plan
// description: The plan's indicator table: category, unit, baseline and target values and years, attribute (预期性/约束性), cumulative flag and note.
// title_zh: 规划的指标
// description_zh: 规划的指标表：类别、单位、基期值与目标值及年份、属性（预期性/约束性）、是否累计及备注。
// param plan STRING: plan id | example: informatization-14fyp
// param_zh plan: 规划 id
// max_rows: 500
MATCH (i:Indicator)
WHERE i.plan_id = $plan
RETURN i.eid AS eid, i.ordinal AS ordinal, i.title AS title, i.category AS category, i.unit AS unit,
       i.baseline_value AS baseline_value, i.baseline_year AS baseline_year, i.target_value AS target_value,
       i.target_year AS target_year, i.attribute AS attribute, i.cumulative AS cumulative, i.note AS note,
       i.char_start AS char_start, i.char_end AS char_end, i.line_start AS line_start, i.line_end AS line_end
ORDER BY char_start
