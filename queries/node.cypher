// title: A node by eid
// description: The common properties of one node (any label): title, text, plan, ordinal and source span.
// title_zh: 按 eid 查节点
// description_zh: 一个节点（任意标签）的通用属性：标题、文本、所属规划、序号和原文位置。
// param eid STRING: eid of the node | example: informatization-14fyp/task-7
// param_zh eid: 节点的 eid
// max_rows: 1
MATCH (n {eid: $eid})
RETURN n.eid AS eid, n.title AS title, n.plan_id AS plan_id, n.ordinal AS ordinal, n.text AS text,
       n.source_sha256 AS source_sha256, n.char_start AS char_start, n.char_end AS char_end,
       n.line_start AS line_start, n.line_end AS line_end, n.page AS page
