// title: What a reference can name among the shared entities
// description: Every shared node (bodies, technologies, regions, documents, initiatives, metrics) with what the reference grammar matches (graph/refs.py): eid, title, name and aliases.
// max_rows: 1000000
MATCH (x)
WHERE x.plan_id = ''
RETURN x.eid AS eid, x.title AS title, x.name AS name, x.aliases AS aliases
ORDER BY eid
