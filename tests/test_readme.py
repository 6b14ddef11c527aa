"""The README's examples stay true: its error lines are what the command prints for such files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from plangraph.cli.main import app
from tests.test_format_pdf import _encrypted_pdf

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
ERRORS = dict(re.findall(r"^error: \[(E\d{3})\] ([^:\s]+)\S*: .*$", README, re.M))
LINES = {
    code: line
    for line in README.splitlines()
    if (m := re.match(r"error: \[(E\d{3})\]", line))
    for code in [m[1]]
}

INPUTS = {  # code → the bytes of a file like the one the README names
    "E001": b"",
    "E002": b"\x00\x01\x02binary\x00",
    "E004": _encrypted_pdf(b"user-secret", b"owner-secret"),
    "E007": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
    "E010": "今天天气很好，我们去公园散步。公园里有很多人。\n".encode(),
}


def test_the_readme_lists_the_errors_of_every_input_format() -> None:
    assert {"E001", "E002", "E003", "E004", "E006", "E007", "E010", "E011"} <= set(ERRORS)


@pytest.mark.parametrize("code", sorted(INPUTS))
def test_readme_error_line_is_what_the_command_prints(tmp_path: Path, code: str) -> None:
    f = tmp_path / ERRORS[code]
    f.write_bytes(INPUTS[code])
    res = CliRunner().invoke(app, ["parse", str(f)])
    assert res.exit_code == 2
    printed = res.output.strip().replace(str(f), f.name)
    assert printed == LINES[code]
