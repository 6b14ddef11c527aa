// title: What a reference can name in a plan
// description: Every node of a plan with what the reference grammar matches (graph/refs.py): eid, title and ordinal.
// param plan STRING: plan id | example: informatization-14fyp
// max_rows: 100000
MATCH (n)
WHERE n.plan_id = $plan
RETURN n.eid AS eid, n.title AS title, n.ordinal AS ordinal
ORDER BY eid
