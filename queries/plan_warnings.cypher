// title: Parser warnings of a plan
// description: The parser's warnings on the plan's source, as a JSON array of code, message, line, page, column and the eid of the element each concerns (null: the plan as a whole).
// param plan STRING: plan id | example: informatization-14fyp
// max_rows: 1
MATCH (p:Plan {eid: $plan})
RETURN p.source_sha256 AS source_sha256, p.warnings AS warnings
