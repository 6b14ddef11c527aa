"""``plangraph explain``: what a message code means and what to do about it (:mod:`plangraph.codes`)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from plangraph.cli.common import clean_errors, write_output


def register(app: typer.Typer) -> None:
    app.command("explain")(explain)


def explain(
    code: Annotated[str | None, typer.Argument(help="A code from a message: E010, W301, I805 …")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The entries as JSON (as GET /codes).")] = False,
) -> None:
    """What a message code means and what to do about it, in English and Chinese; every code without
    CODE."""
    from plangraph import codes

    with clean_errors():
        entries = [codes.explain(code)] if code is not None else list(codes.catalogue().values())
        if as_json:
            data = [e.as_dict() for e in entries]
            one_or_all = data[0] if code is not None else data
            write_output(json.dumps(one_or_all, ensure_ascii=False, indent=2), None)
            return
        if code is None:
            lines = [f"{e.code}  {e.what.en}\n      {e.what.zh}" for e in entries]
            write_output("\n".join(lines), None)
            return
        (e,) = entries
        lines = [f"{e.code} ({e.level})", f"  {e.what.en}", f"  {e.what.zh}"]
        if e.do.en:
            lines += ["", f"  what to do: {e.do.en}", f"  怎么办：{e.do.zh}"]
        write_output("\n".join(lines), None)
