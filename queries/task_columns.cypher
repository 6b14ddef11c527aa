// title: 专栏 and items of a task
// description: The boxed programmes (专栏) placed in a task, the subtask each follows, and their numbered items.
// title_zh: 任务的专栏及条目
// description_zh: 置于一项任务中的专栏、各专栏所在的子任务之后，以及其编号条目。
// param task STRING: eid of the task | example: informatization-14fyp/task-1
// param_zh task: 任务的 eid
// max_rows: 200
MATCH (t:Task {eid: $task})-[:HAS_COLUMN]->(c:`Column`)
OPTIONAL MATCH (c)-[:FOLLOWS]->(s:Subtask)
OPTIONAL MATCH (c)-[:HAS_ITEM]->(i:ColumnItem)
RETURN c.eid AS column_eid, c.ordinal AS column_no, c.title AS column_title, s.eid AS follows,
       i.eid AS item_eid, i.ordinal AS item_no, i.title AS item_title,
       i.char_start AS char_start, i.char_end AS char_end, i.line_start AS line_start, i.line_end AS line_end
ORDER BY column_no, item_no
