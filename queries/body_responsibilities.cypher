// title: Responsibilities of a body
// description: What a body (organisation, aliases folded) is made responsible for, with its role (lead, coordinate, implement, supervise) and the sentence as evidence.
// title_zh: 机构的职责
// description_zh: 一个机构（别名已归并）承担的职责、角色（牵头、协同、实施、监督），以所在句子为证据。
// param body STRING: canonical body name | example: 国家发展改革委
// param_zh body: 机构的规范名称
// max_rows: 500
MATCH (b:Body {name: $body})-[r:RESPONSIBLE_FOR]->(e)
RETURN e.eid AS eid, e.title AS title, r.role AS role, r.cue AS cue, r.evidence AS evidence,
       r.char_start AS char_start, r.char_end AS char_end, r.line_start AS line_start, r.line_end AS line_end
ORDER BY eid, role
