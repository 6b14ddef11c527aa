// title: Parser warnings of a plan
// description: The parser's warnings on the plan's source, as a JSON array of code, message, line, page, column and the eid of the element each concerns (null: the plan as a whole).
// title_zh: 规划的解析提示
// description_zh: 解析器对规划原文给出的提示，为 JSON 数组：代码、信息、行、页、列，以及各提示所涉要素的 eid（null 表示整个规划）。
// param plan STRING: plan id | example: informatization-14fyp
// param_zh plan: 规划 id
// max_rows: 1
MATCH (p:Plan {eid: $plan})
RETURN p.source_sha256 AS source_sha256, p.warnings AS warnings
