// title: What a reference can name among the shared entities
// description: Every shared node (bodies, technologies, regions, documents, initiatives, metrics) with what the reference grammar matches (graph/refs.py): eid, title, name and aliases.
// title_zh: 共享实体可被引用的名称
// description_zh: 每个共享节点（机构、技术、地区、文件、倡议、指标项）及引用语法（graph/refs.py）可匹配的内容：eid、标题、名称和别名。
// max_rows: 1000000
MATCH (x)
WHERE x.plan_id = ''
RETURN x.eid AS eid, x.title AS title, x.name AS name, x.aliases AS aliases
ORDER BY eid
