"""``docs/queries.md``: the researchers' cookbook, generated from the query headers.

python -m plangraph.queries.cookbook > docs/queries.md
"""

from __future__ import annotations

from plangraph.queries.library import Query, load_queries


def cookbook(queries: dict[str, Query] | None = None) -> str:
    queries = queries or load_queries()
    out = [
        "# Query cookbook",
        "",
        "Canned Cypher queries for researchers (`queries/*.cypher`). Each runs unchanged on Neo4j and on the",
        "embedded Ladybug store (a test runs every one on both and compares the results). Run one with",
        "`plangraph query NAME -p key=value [--format table|json|csv] [--neo4j]`, over HTTP with",
        "`GET /queries/NAME?key=value[&format=csv]`, or paste the Cypher into Neo4j Browser.",
        "",
        "Generated from the query headers by `python -m plangraph.queries.cookbook`; do not edit by hand.",
        "",
        "Writing a query that runs on both engines (found by the test, beyond ARCHITECTURE.md's subset):",
        "",
        "- backquote `Column` (a reserved word in Ladybug): ``(c:`Column`)``;",
        "- within one MATCH pattern Neo4j never uses a relationship twice, Ladybug may: join through a",
        "  shared node with two MATCH clauses when both sides may be the same element;",
        "- in Ladybug `x CONTAINS ''` is false: write `($q = '' OR x.title CONTAINS $q)`;",
        "- no `toFloat()` (Ladybug lacks it) and no one-argument `round()`: numbers are stored as numbers;",
        "- don't name a result column like a variable you order by (`part.ordinal AS part` fails there);",
        "- UNION branches must agree on column types: use `''` rather than `NULL` for a missing string.",
        "",
        "| query | question |",
        "|---|---|",
        *(f"| [`{q.name}`](#{q.name}) | {q.title} |" for q in queries.values()),
        "",
    ]
    for q in queries.values():
        out += [f"## {q.name}", "", f"**{q.title}.** {q.description}", ""]
        if q.params:
            out += ["| parameter | type | meaning | example |", "|---|---|---|---|"]
            out += [f"| `{p.name}` | {p.type} | {p.description} | `{p.example or ''}` |" for p in q.params]
            out.append("")
        example = " ".join(f"-p {p.name}={p.example}" for p in q.params if p.example)
        out += [
            f"Row cap: {q.max_rows}.",
            "",
            "```bash",
            f"plangraph query {q.name} {example}".rstrip(),
            "```",
            "",
            "```cypher",
            q.cypher,
            "```",
            "",
        ]
    return "\n".join(out)


if __name__ == "__main__":
    print(cookbook(), end="")
