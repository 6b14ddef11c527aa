// title: Tasks serving a goal
// description: The tasks (重大任务) inferred or curated to serve a goal, best first, with the score, the rank of this goal among the task's goals, and the evidence (shared key terms and the sentence that carries them).
// title_zh: 服务于某目标的任务
// description_zh: 推断或人工校订为服务于一个目标的任务（重大任务），按得分排序，附得分、该目标在任务诸目标中的排名和证据（共有的关键词及其所在句子）。
// param goal STRING: eid of the goal | example: informatization-14fyp/goal-5
// param_zh goal: 目标的 eid
// max_rows: 100
MATCH (t:Task)-[r:SERVES]->(g:Goal {eid: $goal})
RETURN t.eid AS eid, t.ordinal AS ordinal, t.title AS title, r.score AS score, r.rank AS rank,
       r.method AS method, r.source AS source, r.evidence AS evidence, r.confidence AS confidence, r.terms AS terms,
       t.char_start AS char_start, t.char_end AS char_end, t.line_start AS line_start, t.line_end AS line_end
ORDER BY score DESC, eid
