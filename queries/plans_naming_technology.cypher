// title: Plans that name a technology
// description: Every plan in the store whose text names a technology (aliases folded), with how many of its elements name it and how often in all.
// param technology STRING: canonical technology name | example: 区块链
// max_rows: 1000
MATCH (e)-[m:MENTIONS]->(x:Technology {name: $technology})
WITH e.plan_id AS plan_id, count(DISTINCT e) AS elements, sum(m.count) AS mentions
MATCH (p:Plan {eid: plan_id})
RETURN plan_id, p.title AS title, p.issued AS issued, elements, mentions
ORDER BY mentions DESC, plan_id
