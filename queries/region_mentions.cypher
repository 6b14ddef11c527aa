// title: Elements mentioning a region
// description: Every element whose own text names a region (e.g. 京津冀, 长三角, 粤港澳大湾区), with how often.
// title_zh: 提到某地区的要素
// description_zh: 自身文本提到某地区（如京津冀、长三角、粤港澳大湾区）的每个要素，附次数。
// param region STRING: canonical region name | example: 长三角
// param_zh region: 地区的规范名称
// max_rows: 500
MATCH (e)-[m:MENTIONS]->(x:Region {name: $region})
RETURN e.eid AS eid, e.title AS title, e.plan_id AS plan_id, m.count AS count,
       e.char_start AS char_start, e.char_end AS char_end, e.line_start AS line_start, e.line_end AS line_end
ORDER BY eid
