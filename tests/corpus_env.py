"""A small corpus of real plans for the corpus tests: plan folders in a temporary directory whose
``source.*`` links to the bundled plan and to files of ``../shared/corpus/`` (read in place, never copied),
each named ``pgtest-…`` so the plan ids are the tests' own (a developer's Neo4j keeps its plans)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import BUNDLED_SOURCE, ROOT

SHARED_CORPUS = ROOT.parent / "shared" / "corpus"
#: folder (= plan id) → the real file its source.* links to: text, a PDF, the bundled plan
PLANS = {
    "pgtest-corpus-bundled": BUNDLED_SOURCE,
    "pgtest-corpus-ruanjian": SHARED_CORPUS / "ruanjian_14th_2021.txt",
    "pgtest-corpus-suanli": SHARED_CORPUS / "suanli_xingdong_2023.txt",
    "pgtest-corpus-hubei": SHARED_CORPUS / "hubei_wenwu_14th_2021.pdf",
}


def make_corpus(root: Path, plans: dict[str, Path] | None = None) -> Path:
    """``root/corpus/<plan id>/source.<ext>`` → the real files; the corpus folder."""
    folder = root / "corpus"
    for plan_id, real in (plans or PLANS).items():
        (folder / plan_id).mkdir(parents=True, exist_ok=True)
        (folder / plan_id / f"source{real.suffix}").symlink_to(real)
    return folder
