// title: Plans that name a technology
// description: Every plan in the store whose text names a technology (aliases folded), with how many of its elements name it and how often in all.
// title_zh: 提到某技术的规划
// description_zh: 存储中文本提到某项技术（别名已归并）的每个规划，附提到它的要素数和总次数。
// param technology STRING: canonical technology name | example: 区块链
// param_zh technology: 技术的规范名称
// max_rows: 1000
MATCH (e)-[m:MENTIONS]->(x:Technology {name: $technology})
WITH e.plan_id AS plan_id, count(DISTINCT e) AS elements, sum(m.count) AS mentions
MATCH (p:Plan {eid: plan_id})
RETURN plan_id, p.title AS title, p.issued AS issued, elements, mentions
ORDER BY mentions DESC, plan_id
