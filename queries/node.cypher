// title: A node by eid
// description: The common properties of one node (any label): title, text, plan, ordinal and source span.
// param eid STRING: eid of the node | example: informatization-14fyp/task-7
// max_rows: 1
MATCH (n {eid: $eid})
RETURN n.eid AS eid, n.title AS title, n.plan_id AS plan_id, n.ordinal AS ordinal, n.text AS text,
       n.source_sha256 AS source_sha256, n.char_start AS char_start, n.char_end AS char_end,
       n.line_start AS line_start, n.line_end AS line_end, n.page AS page
