// title: Document tree of a plan
// description: Every element of a plan with each element that holds it (a plan-level member is held by the Plan and by its part or section; an indicator also by the element whose table lists it), in document order. The innermost holder is the one that starts last.
// title_zh: 规划的文档树
// description_zh: 规划的每个要素及包含它的每个要素（规划层面的成员同时由规划及其所在部分或节包含；指标还由列出它的表格所在要素包含），按文中顺序。最内层的容器是起始位置最靠后的那个。
// param plan STRING: plan id | example: informatization-14fyp
// param_zh plan: 规划 id
// max_rows: 5000
MATCH (h {plan_id: $plan})-[:HAS_PART|HAS_SECTION|HAS_ACHIEVEMENT|HAS_GOAL|HAS_INDICATOR|HAS_PRINCIPLE|HAS_DIRECTION|HAS_TASK|HAS_ACTION|HAS_MEASURE|HAS_SUBTASK|HAS_COLUMN|HAS_ITEM|HAS_TARGET|HAS_TABLE]->(n)
RETURN n.eid AS eid, h.eid AS holder, h.char_start AS holder_start, n.title AS title, n.ordinal AS ordinal,
       n.page AS page, n.char_start AS char_start, n.char_end AS char_end, n.line_start AS line_start,
       n.line_end AS line_end
ORDER BY char_start, eid, holder_start
