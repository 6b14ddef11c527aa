// title: Elements mentioning a technology
// description: Every element of every loaded plan whose own text names a technology (aliases folded), with how often.
// title_zh: 提到某技术的要素
// description_zh: 所有已载入规划中自身文本提到某项技术（别名已归并）的每个要素，附次数。
// param technology STRING: canonical technology name | example: 区块链
// param_zh technology: 技术的规范名称
// max_rows: 500
MATCH (e)-[m:MENTIONS]->(x:Technology {name: $technology})
RETURN e.eid AS eid, e.title AS title, e.plan_id AS plan_id, m.count AS count,
       e.char_start AS char_start, e.char_end AS char_end, e.line_start AS line_start, e.line_end AS line_end
ORDER BY eid
