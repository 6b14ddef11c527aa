// title: One indicator through plans
// description: The measures whose name contains the text, and for each the indicators of every plan that state it, with baseline and target values and years (linked by normalised name and unit, or graph/metrics.yaml).
// title_zh: 同一指标贯穿各规划
// description_zh: 名称包含该文本的指标项，以及各规划中陈述它的指标，附基期值与目标值及年份（按规范化名称和单位，或 graph/metrics.yaml 关联）。
// param indicator STRING: part of the indicator's name | example: 5G用户普及率
// param_zh indicator: 指标名称的一部分
// max_rows: 1000
MATCH (m:Metric)<-[l:OF_METRIC]-(i:Indicator)
WHERE m.name CONTAINS $indicator
RETURN m.eid AS metric, m.name AS name, m.unit AS unit, i.plan_id AS plan_id, i.eid AS eid, i.title AS title,
       i.baseline_value AS baseline_value, i.baseline_year AS baseline_year,
       i.target_value AS target_value, i.target_year AS target_year, l.method AS method,
       i.char_start AS char_start, i.char_end AS char_end, i.line_start AS line_start, i.line_end AS line_end
ORDER BY metric, target_year, plan_id, eid
