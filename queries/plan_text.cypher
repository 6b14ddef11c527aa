// title: Source text of a plan
// description: The original text every span of the plan indexes (the decoded file; PDF and Word: the text extracted from it) and its sha256, as the store keeps them.
// param plan STRING: plan id | example: informatization-14fyp
// max_rows: 1
MATCH (p:Plan {eid: $plan})
RETURN p.source_sha256 AS source_sha256, p.source_text AS source_text
