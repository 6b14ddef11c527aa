// title: A body's roles across plans
// description: In which plans a body (aliases folded) is made responsible, in which role (lead, coordinate, implement, supervise), and for how many elements.
// title_zh: 机构在各规划中的角色
// description_zh: 一个机构（别名已归并）在哪些规划中承担职责、担任何种角色（牵头、协同、实施、监督），涉及多少要素。
// param body STRING: canonical body name | example: 国家发展改革委
// param_zh body: 机构的规范名称
// max_rows: 1000
MATCH (b:Body {name: $body})-[r:RESPONSIBLE_FOR]->(e)
WITH e.plan_id AS plan_id, r.role AS role, count(DISTINCT e) AS elements
MATCH (p:Plan {eid: plan_id})
RETURN plan_id, p.title AS title, role, elements
ORDER BY plan_id, role
