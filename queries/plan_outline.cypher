// title: Outline of a plan
// description: The parts of a plan and their sections, with what each part or section means (Task, Goal, Measure …).
// title_zh: 规划的纲目
// description_zh: 规划的各部分及其节，附每部分或每节的含义（任务、目标、举措……）。
// param plan STRING: plan id | example: informatization-14fyp
// param_zh plan: 规划 id
// max_rows: 500
MATCH (p:Plan {eid: $plan})-[:HAS_PART]->(part:Part)
OPTIONAL MATCH (part)-[:HAS_SECTION]->(s:Section)
RETURN part.eid AS part_eid, part.ordinal AS part_no, part.title AS part_title, part.meaning AS part_meaning,
       s.eid AS section_eid, s.ordinal AS section_no, s.title AS section_title, s.meaning AS section_meaning
ORDER BY part_no, section_no
