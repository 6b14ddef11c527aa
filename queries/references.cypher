// title: What a reference can name in a plan
// description: Every node of a plan with what the reference grammar matches (graph/refs.py): eid, title and ordinal.
// title_zh: 规划中可被引用的名称
// description_zh: 规划的每个节点及引用语法（graph/refs.py）可匹配的内容：eid、标题和序号。
// param plan STRING: plan id | example: informatization-14fyp
// param_zh plan: 规划 id
// max_rows: 100000
MATCH (n)
WHERE n.plan_id = $plan
RETURN n.eid AS eid, n.title AS title, n.ordinal AS ordinal
ORDER BY eid
