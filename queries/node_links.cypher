// title: Inferred links of a node
// description: The SERVES and MEASURES links from or to a node, with score, rank, method, evidence, confidence (SERVES: low where the runner-up goal is close) and terms, and the other end's title and text (so the evidence terms can be shown in both texts).
// title_zh: 节点的推断关联
// description_zh: 从该节点出发或指向该节点的 SERVES 和 MEASURES 关联，附得分、排名、方法、证据、置信度（SERVES：次优目标得分接近时为 low）和关键词，以及另一端的标题和文本（便于在两段文本中标出证据词）。
// param eid STRING: eid of the node | example: informatization-14fyp/task-7
// param_zh eid: 节点的 eid
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
