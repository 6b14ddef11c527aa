// title: Plans stored without their source text
// description: Plans a store holds without the original text or the parser's warnings (loaded before stores kept them): plangraph add reads their files again instead of skipping them.
// title_zh: 未存原文的规划
// description_zh: 存储中没有原始文本或解析提示的规划（在存储保存这些内容之前载入）：plangraph add 会重新读取其文件，而不是跳过。
// max_rows: 100000
MATCH (p:Plan)
WHERE p.source_text IS NULL
RETURN p.eid AS plan_id
ORDER BY plan_id
