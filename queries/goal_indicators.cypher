// title: Indicators of a goal
// description: The indicators that measure a goal, with unit, baseline and target values and years, attribute, and the target/baseline growth ratio where both are numbers.
// title_zh: 目标的指标
// description_zh: 衡量一个目标的指标，附单位、基期值与目标值及年份、属性，以及两者均为数字时目标值与基期值之比。
// param goal STRING: eid of the goal | example: informatization-14fyp/goal-1
// param_zh goal: 目标的 eid
// max_rows: 100
MATCH (i:Indicator)-[r:MEASURES]->(g:Goal {eid: $goal})
RETURN i.eid AS eid, i.title AS title, i.unit AS unit, i.category AS category,
       i.baseline_value AS baseline_value, i.baseline_year AS baseline_year,
       i.target_value AS target_value, i.target_year AS target_year, i.attribute AS attribute,
       CASE WHEN i.baseline_number > 0 THEN i.target_number / i.baseline_number ELSE NULL END AS growth_ratio,
       r.score AS score, r.source AS source, i.char_start AS char_start, i.char_end AS char_end, i.line_start AS line_start, i.line_end AS line_end
ORDER BY eid
