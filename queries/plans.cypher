// title: Loaded plans
// description: Every plan in the store with its title, issuer, period and source fingerprint.
// title_zh: 已载入的规划
// description_zh: 存储中的每个规划，附标题、发文机关、期限和源文件指纹。
// max_rows: 100000
MATCH (p:Plan)
RETURN p.eid AS plan_id, p.title AS title, p.issuer AS issuer, p.issued AS issued,
       p.period_start AS period_start, p.period_end AS period_end, p.source_sha256 AS source_sha256,
       p.source_path AS source_path
ORDER BY plan_id
