// title: Goals a task serves
// description: The goals a task serves, in rank order (1 = the goal it serves best), with score and evidence.
// title_zh: 任务服务的目标
// description_zh: 一项任务服务的目标，按排名（1 = 最主要服务的目标），附得分和证据。
// param task STRING: eid of the task | example: informatization-14fyp/task-7
// param_zh task: 任务的 eid
// max_rows: 50
MATCH (t:Task {eid: $task})-[r:SERVES]->(g:Goal)
RETURN g.eid AS eid, g.title AS title, r.rank AS rank, r.score AS score, r.source AS source,
       r.evidence AS evidence, r.confidence AS confidence, g.char_start AS char_start, g.char_end AS char_end, g.line_start AS line_start, g.line_end AS line_end
ORDER BY rank, eid
