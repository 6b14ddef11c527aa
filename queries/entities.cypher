// title: Entities of a type
// description: Named entities of one type (eid prefix body/, technology/, region/, document/, initiative/) with the number of elements that mention them, most mentioned first; optionally filtered by a name fragment.
// param prefix STRING: eid prefix of the entity type | example: technology/
// param q STRING: name fragment ('' for all) | example: 
// max_rows: 1000
MATCH (x)
WHERE x.eid STARTS WITH $prefix AND ($q = '' OR x.title CONTAINS $q)
OPTIONAL MATCH (e)-[m:MENTIONS]->(x)
RETURN x.eid AS eid, x.title AS title, x.name AS name, x.category AS category, count(DISTINCT e) AS elements,
       sum(m.count) AS mentions
ORDER BY elements DESC, eid
