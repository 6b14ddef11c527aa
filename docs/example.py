"""PlanGraph from Python: parse the bundled plan, load it into a store, ask which tasks serve a goal, export
the goal's subgraph. Run it from any folder: ``python docs/example.py [STORE]`` (default: a store in a
temporary folder). The tests run it against an installed wheel (tests/test_package.py).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import plangraph as pg


def main(store_path: Path) -> None:
    store = pg.open_store(store_path)
    try:
        for row in pg.add(store, pg.bundled_plan()):
            print(f"{row['status']:<8} {row['plan_id']}  {row['nodes']} nodes, {row['warnings']} warnings")
        plan = pg.plans(store)[0]
        goal = f"{plan['plan_id']}/goal-5"
        print(f"\n{plan['title']} ({plan['issuer']}, {plan['issued']}): tasks serving {goal}")
        # rows are plain dicts: pandas.DataFrame(rows) takes them as they are
        for row in pg.query(store, "goal_tasks", goal=goal)[:5]:
            print(f"  {row['score']:.2f}  {row['eid']:<36} {row['title']}")
        mermaid = pg.export(store, "mermaid", plan=plan["plan_id"], goal=goal)
        print(f"\nthe goal view as Mermaid: {len(mermaid.splitlines())} lines")
    finally:
        store.close()


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(Path(sys.argv[1]))
    else:
        with tempfile.TemporaryDirectory() as folder:
            main(Path(folder) / "example.lbug")
