// title: Co-mentioned technology pairs
// description: Pairs of technologies named in the text of the same element, by the number of elements that name both.
// param plan STRING: plan id | example: informatization-14fyp
// max_rows: 100
MATCH (a:Technology)<-[:MENTIONS]-(e)-[:MENTIONS]->(b:Technology)
WHERE e.plan_id = $plan AND a.name < b.name
RETURN a.name AS technology_a, b.name AS technology_b, count(DISTINCT e) AS elements
ORDER BY elements DESC, technology_a, technology_b
