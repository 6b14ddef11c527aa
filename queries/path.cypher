// title: Bounded path between two nodes
// description: Paths of one to three steps between two nodes (either direction): the intermediate nodes ('' where a path has fewer steps), shortest first. Bounded on purpose: no unbounded search.
// title_zh: 两个节点之间的有界路径
// description_zh: 两个节点之间一到三步的路径（任一方向）：中间节点（路径较短处为 ''），最短者在前。有意设限：不做无界搜索。
// param from STRING: eid of the start node | example: informatization-14fyp/task-1
// param_zh from: 起点节点的 eid
// param to STRING: eid of the end node | example: informatization-14fyp/goal-1
// param_zh to: 终点节点的 eid
// max_rows: 50
MATCH (a {eid: $from})--(b {eid: $to})
RETURN 1 AS hops, '' AS via_1, '' AS via_2
UNION
MATCH (a {eid: $from})--(m1)--(b {eid: $to})
WHERE m1.eid <> $from AND m1.eid <> $to
RETURN 2 AS hops, m1.eid AS via_1, '' AS via_2
UNION
MATCH (a {eid: $from})--(m1)--(m2)--(b {eid: $to})
WHERE m1.eid <> $from AND m2.eid <> $to AND m1.eid <> m2.eid AND m1.eid <> $to AND m2.eid <> $from
RETURN 3 AS hops, m1.eid AS via_1, m2.eid AS via_2
ORDER BY hops, via_1, via_2
