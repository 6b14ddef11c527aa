// title: Neighbourhood of a node
// description: Every node one step from a node, with the relationship type and direction (one branch per type, so the query needs no type() function and runs on both engines). Generated from graph/schema.py by queries/generate.py.
// title_zh: 节点的邻居
// description_zh: 与一个节点相距一步的每个节点，附关系类型和方向（每种类型一个分支，查询因此无需 type() 函数，两种引擎都能运行）。由 queries/generate.py 根据 graph/schema.py 生成。
// param eid STRING: eid of the node | example: informatization-14fyp/task-7
// param_zh eid: 节点的 eid
// max_rows: 500
MATCH (n {eid: $eid})-[:HAS_PART]->(m)
RETURN 'HAS_PART' AS type, 'out' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})<-[:HAS_PART]-(m)
RETURN 'HAS_PART' AS type, 'in' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})-[:HAS_SECTION]->(m)
RETURN 'HAS_SECTION' AS type, 'out' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})<-[:HAS_SECTION]-(m)
RETURN 'HAS_SECTION' AS type, 'in' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})-[:HAS_ACHIEVEMENT]->(m)
RETURN 'HAS_ACHIEVEMENT' AS type, 'out' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})<-[:HAS_ACHIEVEMENT]-(m)
RETURN 'HAS_ACHIEVEMENT' AS type, 'in' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})-[:HAS_GOAL]->(m)
RETURN 'HAS_GOAL' AS type, 'out' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})<-[:HAS_GOAL]-(m)
RETURN 'HAS_GOAL' AS type, 'in' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})-[:HAS_INDICATOR]->(m)
RETURN 'HAS_INDICATOR' AS type, 'out' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})<-[:HAS_INDICATOR]-(m)
RETURN 'HAS_INDICATOR' AS type, 'in' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})-[:HAS_PRINCIPLE]->(m)
RETURN 'HAS_PRINCIPLE' AS type, 'out' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})<-[:HAS_PRINCIPLE]-(m)
RETURN 'HAS_PRINCIPLE' AS type, 'in' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})-[:HAS_DIRECTION]->(m)
RETURN 'HAS_DIRECTION' AS type, 'out' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})<-[:HAS_DIRECTION]-(m)
RETURN 'HAS_DIRECTION' AS type, 'in' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})-[:HAS_TASK]->(m)
RETURN 'HAS_TASK' AS type, 'out' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})<-[:HAS_TASK]-(m)
RETURN 'HAS_TASK' AS type, 'in' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})-[:HAS_ACTION]->(m)
RETURN 'HAS_ACTION' AS type, 'out' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})<-[:HAS_ACTION]-(m)
RETURN 'HAS_ACTION' AS type, 'in' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})-[:HAS_MEASURE]->(m)
RETURN 'HAS_MEASURE' AS type, 'out' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})<-[:HAS_MEASURE]-(m)
RETURN 'HAS_MEASURE' AS type, 'in' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})-[:HAS_SUBTASK]->(m)
RETURN 'HAS_SUBTASK' AS type, 'out' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})<-[:HAS_SUBTASK]-(m)
RETURN 'HAS_SUBTASK' AS type, 'in' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})-[:HAS_COLUMN]->(m)
RETURN 'HAS_COLUMN' AS type, 'out' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})<-[:HAS_COLUMN]-(m)
RETURN 'HAS_COLUMN' AS type, 'in' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})-[:HAS_ITEM]->(m)
RETURN 'HAS_ITEM' AS type, 'out' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})<-[:HAS_ITEM]-(m)
RETURN 'HAS_ITEM' AS type, 'in' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})-[:HAS_TARGET]->(m)
RETURN 'HAS_TARGET' AS type, 'out' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})<-[:HAS_TARGET]-(m)
RETURN 'HAS_TARGET' AS type, 'in' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})-[:HAS_TABLE]->(m)
RETURN 'HAS_TABLE' AS type, 'out' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})<-[:HAS_TABLE]-(m)
RETURN 'HAS_TABLE' AS type, 'in' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})-[:FOLLOWS]->(m)
RETURN 'FOLLOWS' AS type, 'out' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})<-[:FOLLOWS]-(m)
RETURN 'FOLLOWS' AS type, 'in' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})-[:SERVES]->(m)
RETURN 'SERVES' AS type, 'out' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})<-[:SERVES]-(m)
RETURN 'SERVES' AS type, 'in' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})-[:MEASURES]->(m)
RETURN 'MEASURES' AS type, 'out' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})<-[:MEASURES]-(m)
RETURN 'MEASURES' AS type, 'in' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})-[:RESPONSIBLE_FOR]->(m)
RETURN 'RESPONSIBLE_FOR' AS type, 'out' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})<-[:RESPONSIBLE_FOR]-(m)
RETURN 'RESPONSIBLE_FOR' AS type, 'in' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})-[:MENTIONS]->(m)
RETURN 'MENTIONS' AS type, 'out' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})<-[:MENTIONS]-(m)
RETURN 'MENTIONS' AS type, 'in' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})-[:OF_METRIC]->(m)
RETURN 'OF_METRIC' AS type, 'out' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})<-[:OF_METRIC]-(m)
RETURN 'OF_METRIC' AS type, 'in' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})-[:CITES]->(m)
RETURN 'CITES' AS type, 'out' AS direction, m.eid AS eid, m.title AS title
UNION ALL
MATCH (n {eid: $eid})<-[:CITES]-(m)
RETURN 'CITES' AS type, 'in' AS direction, m.eid AS eid, m.title AS title
