"""The catalogue of message codes: what each error (E…), warning (W…) and note (I…) means and what to do
about it, in English and Chinese; the data is ``codes.yaml`` beside this module.

The messages themselves (``[W301] line 688: 专栏 14 has no items``) say what was found where; the catalogue
says, once per code, what that kind of message means. ``plangraph explain W301`` prints an entry,
``GET /codes`` serves them all, and the explorer shows an entry's headline in the language of its
interface beside each warning and error.

>>> explain("w301").what.zh
'专栏没有条目'
>>> explain("W301").level
'warning'
>>> try:
...     explain("X999")
... except UnknownCode as e:
...     print(e.code, e.message.split(";")[0])
E406 no message code 'X999'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from plangraph.ingest.errors import PlanGraphError

CATALOGUE = Path(__file__).with_name("codes.yaml")
#: a code's letter: what kind of message carries it
LEVELS = {"E": "error", "W": "warning", "I": "note"}
CODE = re.compile(r"[EWI][0-9]{3}")


@dataclass(frozen=True)
class Text:
    """One sentence in both languages."""

    en: str
    zh: str


@dataclass(frozen=True)
class Code:
    """One catalogue entry: the code, its level (by its letter), what it means, what to do (may be empty)."""

    code: str
    what: Text
    do: Text

    @property
    def level(self) -> str:
        return LEVELS[self.code[0]]

    def as_dict(self) -> dict[str, str]:
        """The entry as the API and ``plangraph explain --json`` give it: English fields, and ``_zh`` the same
        in Chinese (as the query library's ``title`` and ``title_zh``)."""
        return {
            "code": self.code,
            "level": self.level,
            "what": self.what.en,
            "what_zh": self.what.zh,
            "do": self.do.en,
            "do_zh": self.do.zh,
        }


class UnknownCode(PlanGraphError):
    """E406: ``plangraph explain`` or ``GET /codes/{code}`` asked for a code the catalogue has not."""

    code = "E406"


@cache
def catalogue() -> dict[str, Code]:
    """Every entry, by code, in the file's order (errors, notes, warnings)."""
    from plangraph.ingest.yamlfile import read_curated

    raw = read_curated(CATALOGUE)
    out = {}
    for code, entry in raw.items():
        if not CODE.fullmatch(code):
            raise ValueError(f"{CATALOGUE.name}: {code!r} is not a code (E010, W301, I805)")
        out[code] = Code(code, Text(**entry["what"]), Text(**entry["do"]))
    return out


def explain(code: str) -> Code:
    """The entry of ``code`` (any case); :class:`UnknownCode` when there is none."""
    entry = catalogue().get(code.strip().upper())
    if entry is None:
        raise UnknownCode(
            f"no message code {code!r}; codes look like E010, W301 or I805 (plangraph explain lists them)",
            where="code",
        )
    return entry
