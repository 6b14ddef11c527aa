// title: Plans citing a plan
// description: The elements of other plans that cite (《…》) a plan in the store, title variants matched, with the citing sentence as evidence.
// title_zh: 引用某规划的规划
// description_zh: 其他规划中以《……》引用存储中某规划的要素（标题的不同写法均可匹配），以引用句为证据。
// param plan STRING: the cited plan's id | example: informatization-14fyp
// param_zh plan: 被引用规划的 id
// max_rows: 1000
MATCH (e)-[c:CITES]->(p:Plan {eid: $plan})
RETURN e.plan_id AS citing_plan, e.eid AS eid, e.title AS title, c.evidence AS evidence,
       e.char_start AS char_start, e.char_end AS char_end, e.line_start AS line_start, e.line_end AS line_end
ORDER BY citing_plan, eid
