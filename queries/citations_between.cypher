// title: Citations between two plans
// description: The elements of either plan that cite (《…》) the other, with the citing sentence.
// param plan_a STRING: first plan id | example: informatization-14fyp
// param plan_b STRING: second plan id | example: informatization-14fyp
// max_rows: 500
MATCH (e)-[c:CITES]->(p:Plan)
WHERE (e.plan_id = $plan_a AND p.eid = $plan_b) OR (e.plan_id = $plan_b AND p.eid = $plan_a)
RETURN e.plan_id AS citing_plan, p.eid AS cited_plan, e.eid AS eid, e.title AS title, c.evidence AS evidence
ORDER BY citing_plan, eid
