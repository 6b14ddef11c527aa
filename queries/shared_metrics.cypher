// title: Indicators two plans share
// description: The measures both plans state (same normalised name and unit, or graph/metrics.yaml), with each plan's indicator and its target.
// title_zh: 两个规划共有的指标
// description_zh: 两个规划都陈述的指标项（规范化名称和单位相同，或依 graph/metrics.yaml），附各规划的指标及其目标值。
// param plan_a STRING: first plan id | example: informatization-14fyp
// param_zh plan_a: 第一个规划的 id
// param plan_b STRING: second plan id | example: informatization-14fyp
// param_zh plan_b: 第二个规划的 id
// max_rows: 500
MATCH (a:Indicator)-[:OF_METRIC]->(m:Metric)
WHERE a.plan_id = $plan_a
MATCH (b:Indicator)-[:OF_METRIC]->(m)
WHERE b.plan_id = $plan_b
RETURN m.eid AS metric, m.name AS name, m.unit AS unit, a.eid AS indicator_a, a.target_value AS target_a,
       a.target_year AS target_year_a, b.eid AS indicator_b, b.target_value AS target_b,
       b.target_year AS target_year_b
ORDER BY metric, indicator_a, indicator_b
