"""The schema tables of ``docs/schema.md``, generated from :mod:`graph.schema`.

Run ``python -m plangraph.graph.schemadoc`` and paste the block into the document.

A test checks that ``docs/schema.md`` holds exactly this text between its ``BEGIN GENERATED`` and
``END GENERATED`` markers, so the document cannot drift from the code.
"""

from __future__ import annotations

from plangraph.graph.schema import COMMON, ELEMENT, KEY, NODE_LABELS, REL_TYPES, neo4j_constraints

BEGIN = "<!-- BEGIN GENERATED: python -m plangraph.graph.schemadoc -->"
END = "<!-- END GENERATED -->"


def _props(props: tuple[object, ...], skip: set[str]) -> str:
    out = [f"`{p.name}` {p.type}" for p in props if p.name not in skip]  # type: ignore[attr-defined]
    return ", ".join(out) if out else "—"


def tables() -> str:
    common = {p.name for p in COMMON}
    element = {p.name for p in ELEMENT}
    lines = [
        "### Node labels",
        "",
        f"Every node has the common properties: {_props(COMMON, set())} (key: `{KEY}`, unique per label).",
        f"Every element below the Plan also has {_props(ELEMENT, set())}.",
        "",
        "| Label | Own properties |",
        "|---|---|",
    ]
    for label in NODE_LABELS.values():
        lines.append(f"| `{label.name}` | {_props(label.props, common | element)} |")
    lines += ["", "### Relationship types", "", "| Type | From → To | Properties |", "|---|---|---|"]
    for rel in REL_TYPES.values():
        ends_of: dict[str, list[str]] = {}
        for a, b in rel.endpoints:
            ends_of.setdefault(a, []).append(b)
        groups: dict[tuple[str, ...], list[str]] = {}
        for a, bs in ends_of.items():
            groups.setdefault(tuple(bs), []).append(a)
        ends = "; ".join(f"{', '.join(a)} → {', '.join(b)}" for b, a in groups.items())
        lines.append(f"| `{rel.name}` | {ends} | {_props(rel.props, set())} |")
    lines += ["", "### Neo4j constraints", "", "```cypher", *(f"{c};" for c in neo4j_constraints()), "```"]
    return "\n".join(lines) + "\n"


def block() -> str:
    return f"{BEGIN}\n{tables()}{END}\n"


if __name__ == "__main__":  # pragma: no cover
    print(block(), end="")
