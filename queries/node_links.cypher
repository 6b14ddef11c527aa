// title: Inferred links of a node
// description: The SERVES and MEASURES links from or to a node, with score, rank, method, evidence, confidence (SERVES: low where the runner-up goal is close) and terms, and the other end's title and text (so the evidence terms can be shown in both texts).
// param eid STRING: eid of the node | example: informatization-14fyp/task-7
// max_rows: 500
MATCH (n {eid: $eid})-[r:SERVES]->(m)
RETURN 'SERVES' AS type, 'out' AS direction, m.eid AS eid, m.title AS title, m.text AS text, r.score AS score,
       r.rank AS rank, r.method AS method, r.source AS source, r.evidence AS evidence, r.confidence AS confidence,
       r.terms AS terms
UNION ALL
MATCH (n {eid: $eid})<-[r:SERVES]-(m)
RETURN 'SERVES' AS type, 'in' AS direction, m.eid AS eid, m.title AS title, m.text AS text, r.score AS score,
       r.rank AS rank, r.method AS method, r.source AS source, r.evidence AS evidence, r.confidence AS confidence,
       r.terms AS terms
UNION ALL
MATCH (n {eid: $eid})-[r:MEASURES]->(m)
RETURN 'MEASURES' AS type, 'out' AS direction, m.eid AS eid, m.title AS title, m.text AS text, r.score AS score,
       r.rank AS rank, r.method AS method, r.source AS source, r.evidence AS evidence, r.confidence AS confidence,
       r.terms AS terms
UNION ALL
MATCH (n {eid: $eid})<-[r:MEASURES]-(m)
RETURN 'MEASURES' AS type, 'in' AS direction, m.eid AS eid, m.title AS title, m.text AS text, r.score AS score,
       r.rank AS rank, r.method AS method, r.source AS source, r.evidence AS evidence, r.confidence AS confidence,
       r.terms AS terms
