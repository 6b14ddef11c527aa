// title: Elements mentioning an entity
// description: Every element whose own text names the entity (a body, technology, region, document or initiative, by eid), with the count and the surface forms.
// title_zh: 提到某实体的要素
// description_zh: 自身文本提到该实体（机构、技术、地区、文件或倡议，按 eid）的每个要素，附次数和文中写法。
// param entity STRING: eid of the entity | example: technology/区块链
// param_zh entity: 实体的 eid
// max_rows: 1000
MATCH (e)-[m:MENTIONS]->(x {eid: $entity})
RETURN e.eid AS eid, e.title AS title, e.plan_id AS plan_id, m.count AS count, m.surfaces AS surfaces,
       e.char_start AS char_start, e.char_end AS char_end, e.line_start AS line_start, e.line_end AS line_end
ORDER BY eid
