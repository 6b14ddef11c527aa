// title: What two plans share
// description: Entities (bodies, technologies, regions, documents, initiatives) that both plans mention, with how many elements of each plan mention them.
// title_zh: 两个规划共有的实体
// description_zh: 两个规划都提到的实体（机构、技术、地区、文件、倡议），附各规划中提到它们的要素数。
// param plan_a STRING: first plan id | example: informatization-14fyp
// param_zh plan_a: 第一个规划的 id
// param plan_b STRING: second plan id | example: informatization-14fyp
// param_zh plan_b: 第二个规划的 id
// max_rows: 500
MATCH (a)-[:MENTIONS]->(x)
WHERE a.plan_id = $plan_a
MATCH (b)-[:MENTIONS]->(x)
WHERE b.plan_id = $plan_b
RETURN x.eid AS eid, x.name AS name, count(DISTINCT a) AS elements_a, count(DISTINCT b) AS elements_b
ORDER BY eid
