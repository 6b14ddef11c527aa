// title: Co-mentioned technology pairs
// description: Pairs of technologies named in the text of the same element, by the number of elements that name both.
// title_zh: 共同提及的技术对
// description_zh: 在同一要素文本中同时被提到的技术对，按同时提到两者的要素数排列。
// param plan STRING: plan id | example: informatization-14fyp
// param_zh plan: 规划 id
// max_rows: 100
MATCH (a:Technology)<-[:MENTIONS]-(e)-[:MENTIONS]->(b:Technology)
WHERE e.plan_id = $plan AND a.name < b.name
RETURN a.name AS technology_a, b.name AS technology_b, count(DISTINCT e) AS elements
ORDER BY elements DESC, technology_a, technology_b
