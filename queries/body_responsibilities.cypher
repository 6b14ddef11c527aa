// title: Responsibilities of a body
// description: What a body (organisation, aliases folded) is made responsible for, with its role (lead, coordinate, implement, supervise) and the sentence as evidence.
// param body STRING: canonical body name | example: 国家发展改革委
// max_rows: 500
MATCH (b:Body {name: $body})-[r:RESPONSIBLE_FOR]->(e)
RETURN e.eid AS eid, e.title AS title, r.role AS role, r.cue AS cue, r.evidence AS evidence,
       r.char_start AS char_start, r.char_end AS char_end, r.line_start AS line_start, r.line_end AS line_end
ORDER BY eid, role
