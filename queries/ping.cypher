// title: Liveness
// description: The cheapest query a store can answer: used by /health to tell whether the store is up.
// title_zh: 存活检查
// description_zh: 存储能回答的最简单的查询：/health 用它判断存储是否可用。
// max_rows: 1
RETURN 1 AS ok
