"""Generate the queries that follow the schema: ``neighbours.cypher`` (one UNION branch per relationship
type and direction, so it needs no ``type()`` and runs on both engines).

    python -m plangraph.queries.generate        # rewrite queries/neighbours.cypher
"""

from __future__ import annotations

from pathlib import Path

from plangraph.graph.schema import REL_TYPES

HEADER = (
    "// title: Neighbourhood of a node\n"
    "// description: Every node one step from a node, with the relationship type and direction (one branch "
    "per type, so the query needs no type() function and runs on both engines). Generated from "
    "graph/schema.py by queries/generate.py.\n"
    "// title_zh: 节点的邻居\n"
    "// description_zh: 与一个节点相距一步的每个节点，附关系类型和方向"
    "（每种类型一个分支，查询因此无需 type() 函数，两种引擎都能运行）。"
    "由 queries/generate.py 根据 graph/schema.py 生成。\n"
    "// param eid STRING: eid of the node | example: informatization-14fyp/task-7\n"
    "// param_zh eid: 节点的 eid\n"
    "// max_rows: 500\n"
)


def neighbours_query() -> str:
    branches = []
    for t in REL_TYPES:
        branches.append(
            f"MATCH (n {{eid: $eid}})-[:{t}]->(m)\n"
            f"RETURN '{t}' AS type, 'out' AS direction, m.eid AS eid, m.title AS title"
        )
        branches.append(
            f"MATCH (n {{eid: $eid}})<-[:{t}]-(m)\n"
            f"RETURN '{t}' AS type, 'in' AS direction, m.eid AS eid, m.title AS title"
        )
    return HEADER + "\nUNION ALL\n".join(branches) + "\n"


if __name__ == "__main__":
    (Path(__file__).parent / "neighbours.cypher").write_text(neighbours_query(), encoding="utf-8")
