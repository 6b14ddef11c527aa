// title: What two plans share
// description: Entities (bodies, technologies, regions, documents, initiatives) that both plans mention, with how many elements of each plan mention them.
// param plan_a STRING: first plan id | example: informatization-14fyp
// param plan_b STRING: second plan id | example: informatization-14fyp
// max_rows: 500
MATCH (a)-[:MENTIONS]->(x)
WHERE a.plan_id = $plan_a
MATCH (b)-[:MENTIONS]->(x)
WHERE b.plan_id = $plan_b
RETURN x.eid AS eid, x.name AS name, count(DISTINCT a) AS elements_a, count(DISTINCT b) AS elements_b
ORDER BY eid
