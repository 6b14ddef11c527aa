// title: Plans stored without their source text
// description: Plans a store holds without the original text or the parser's warnings (loaded before stores kept them): plangraph add reads their files again instead of skipping them.
// max_rows: 100000
MATCH (p:Plan)
WHERE p.source_text IS NULL
RETURN p.eid AS plan_id
ORDER BY plan_id
