// title: A body's roles across plans
// description: In which plans a body (aliases folded) is made responsible, in which role (lead, coordinate, implement, supervise), and for how many elements.
// param body STRING: canonical body name | example: 国家发展改革委
// max_rows: 1000
MATCH (b:Body {name: $body})-[r:RESPONSIBLE_FOR]->(e)
WITH e.plan_id AS plan_id, r.role AS role, count(DISTINCT e) AS elements
MATCH (p:Plan {eid: plan_id})
RETURN plan_id, p.title AS title, role, elements
ORDER BY plan_id, role
