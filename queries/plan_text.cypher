// title: Source text of a plan
// description: The original text every span of the plan indexes (the decoded file; PDF and Word: the text extracted from it) and its sha256, as the store keeps them.
// title_zh: 规划的原文
// description_zh: 规划所有位置所索引的原始文本（解码后的文件；PDF 和 Word 为从中提取的文本）及其 sha256，按存储所保存的内容。
// param plan STRING: plan id | example: informatization-14fyp
// param_zh plan: 规划 id
// max_rows: 1
MATCH (p:Plan {eid: $plan})
RETURN p.source_sha256 AS source_sha256, p.source_text AS source_text
