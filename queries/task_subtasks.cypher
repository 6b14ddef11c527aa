// title: Subtasks of a task
// description: The subtasks (lead-sentence measures) of a task in document order, with their source lines.
// title_zh: 任务的子任务
// description_zh: 一项任务的子任务（段首句举措），按文中顺序，附原文行号。
// param task STRING: eid of the task | example: informatization-14fyp/task-7
// param_zh task: 任务的 eid
// max_rows: 100
MATCH (t:Task {eid: $task})-[:HAS_SUBTASK]->(s:Subtask)
RETURN s.eid AS eid, s.ordinal AS ordinal, s.title AS title, s.char_start AS char_start, s.char_end AS char_end, s.line_start AS line_start, s.line_end AS line_end
ORDER BY ordinal
