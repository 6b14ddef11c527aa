// title: Bounded path between two nodes
// description: Paths of one to three steps between two nodes (either direction): the intermediate nodes ('' where a path has fewer steps), shortest first. Bounded on purpose: no unbounded search.
// param from STRING: eid of the start node | example: informatization-14fyp/task-1
// param to STRING: eid of the end node | example: informatization-14fyp/goal-1
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
