// title: Entities of a type
// description: Named entities of one type (eid prefix body/, technology/, region/, document/, initiative/) with the number of elements that mention them, most mentioned first; optionally filtered by a name fragment.
// title_zh: 某类实体
// description_zh: 某一类命名实体（eid 前缀 body/、technology/、region/、document/、initiative/）及提到它们的要素数，提及最多者在前；可按名称片段筛选。
// param prefix STRING: eid prefix of the entity type | example: technology/
// param_zh prefix: 实体类型的 eid 前缀
// param q STRING: name fragment ('' for all) | example: 
// param_zh q: 名称片段（'' 表示全部）
// max_rows: 1000
MATCH (x)
WHERE x.eid STARTS WITH $prefix AND ($q = '' OR x.title CONTAINS $q)
OPTIONAL MATCH (e)-[m:MENTIONS]->(x)
RETURN x.eid AS eid, x.title AS title, x.name AS name, x.category AS category, count(DISTINCT e) AS elements,
       sum(m.count) AS mentions
ORDER BY elements DESC, eid
