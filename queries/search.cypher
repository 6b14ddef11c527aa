// title: Search titles and text
// description: Elements and entities whose title or text contains the keyword (Chinese, e.g. 区块链 or 数字政府); title matches first.
// title_zh: 搜索标题和文本
// description_zh: 标题或文本包含关键词（中文，如 区块链 或 数字政府）的要素和实体；标题匹配者在前。
// param q STRING: keyword | example: 数字政府
// param_zh q: 关键词
// max_rows: 200
MATCH (n)
WHERE n.title CONTAINS $q OR n.text CONTAINS $q
RETURN n.eid AS eid, n.title AS title, n.plan_id AS plan_id,
       CASE WHEN n.title CONTAINS $q THEN 1 ELSE 2 END AS match_rank,
       n.char_start AS char_start, n.char_end AS char_end, n.line_start AS line_start, n.line_end AS line_end
ORDER BY match_rank, eid
