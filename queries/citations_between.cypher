// title: Citations between two plans
// description: The elements of either plan that cite (《…》) the other, with the citing sentence.
// title_zh: 两个规划之间的引用
// description_zh: 两个规划中以《……》引用对方的要素，附引用所在的句子。
// param plan_a STRING: first plan id | example: informatization-14fyp
// param_zh plan_a: 第一个规划的 id
// param plan_b STRING: second plan id | example: informatization-14fyp
// param_zh plan_b: 第二个规划的 id
// max_rows: 500
MATCH (e)-[c:CITES]->(p:Plan)
WHERE (e.plan_id = $plan_a AND p.eid = $plan_b) OR (e.plan_id = $plan_b AND p.eid = $plan_a)
RETURN e.plan_id AS citing_plan, p.eid AS cited_plan, e.eid AS eid, e.title AS title, c.evidence AS evidence
ORDER BY citing_plan, eid
