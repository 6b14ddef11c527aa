"""Plan ids and periods: a readable, stable ASCII id from a plan's title, a period from its title.

The id scheme: the title's Chinese characters as pinyin initials (pypinyin, pinned), ASCII words and
numbers lower-cased between hyphens, quotes and brackets dropped, at most 32 characters, then the period's
years. The same title always gives the same id:

>>> plan_id_for("“十四五”国家信息化规划")
'sswgjxxhgh-2021-2025'
>>> plan_id_for("促进新一代人工智能产业发展三年行动计划（2018-2020年）")
'cjxydrgzncyfzsnxdjh-2018-2020'
>>> plan_id_for("5G应用“扬帆”行动计划（2021-2023年）")
'5g-yyyfxdjh-2021-2023'
>>> plan_id_for("中华人民共和国国民经济和社会发展第十四个五年规划和2035年远景目标纲要")
'zhrmghggmjjhshfzdssgwnghh-2035-2021-2025'
>>> slug("工业和信息化部_十四五软件规划"), slug("informatization-14fyp"), slug("《》")
('gyhxxhb_sswrjgh', 'informatization-14fyp', 'plan')
"""

from __future__ import annotations

import re
import unicodedata

MAX_CORE = 32

_CN_DIGIT = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_YEARS = re.compile(r"((?:19|20)\d{2})\s*年?\s*[-—–－~～至到]+\s*((?:19|20)\d{2})\s*年?")
_FYP = re.compile(r"十([一二三四五六七八九])五|第十([一二三四五六七八九])个五年")
_PERIOD_BRACKET = re.compile(r"[（(]\s*(?:19|20)\d{2}\s*年?\s*[-—–－~～至到]+\s*(?:19|20)\d{2}\s*年?\s*[）)]")
_CJK = "\u3400-\u9fff\uf900-\ufaff"
_NAME_RUN = re.compile(rf"[A-Za-z0-9_\-]+|[{_CJK}]+|[^A-Za-z0-9_\-{_CJK}]+")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[A-Za-z0-9]+")


def five_year_period(n: int) -> tuple[int, int]:
    """The years of the n-th five-year plan (the 3rd began in 1966, after the 1963–1965 adjustment).

    >>> five_year_period(14), five_year_period(12), five_year_period(1)
    ((2021, 2025), (2011, 2015), (1953, 1957))
    """
    start = 1953 + 5 * (n - 1) if n <= 2 else 1966 + 5 * (n - 3)
    return start, start + 4


def period_of(title: str | None) -> tuple[int, int] | None:
    """The period a title names: years (2021—2025, （2018-2020年）, 2024—2026年) or a five-year plan.

    >>> period_of("数字商务三年行动计划（2024—2026年）"), period_of("山东省“十三五”科技创新规划")
    ((2024, 2026), (2016, 2020))
    >>> period_of("国民经济和社会发展第十四个五年规划和2035年远景目标纲要")
    (2021, 2025)
    >>> period_of("新一代人工智能发展规划") is None
    True
    """
    if not title:
        return None
    text = unicodedata.normalize("NFKC", title)
    m = _YEARS.search(text)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        if a <= b <= a + 20:
            return a, b
    f = _FYP.search(title)
    if f:
        return five_year_period(10 + _CN_DIGIT[f.group(1) or f.group(2)])
    return None


def _initials(run: str) -> str:
    """Pinyin initials of Chinese characters; a character pypinyin does not know is left out (ASCII only).
    pypinyin is imported here, when an id is derived: its phrase dictionary takes a fifth of a second to
    load, and a plan with an id in its metadata never needs it."""
    from pypinyin import Style, lazy_pinyin

    firsts = (p[:1].lower() for p in lazy_pinyin(run, style=Style.FIRST_LETTER))
    return "".join(c for c in firsts if c.isascii() and c.isalpha())


def _tokens(text: str) -> list[str]:
    """Pinyin initials of the Chinese runs (punctuation between them dropped) and lower-cased ASCII words,
    in order: ``5G应用“扬帆”行动`` → ``["5g", "yyyfxd"]``."""
    out: list[str] = []
    han = False
    for m in _HAN.finditer(text):
        run = m.group(0)
        if run[0].isascii():
            out.append(run.lower())
            han = False
            continue
        initials = _initials(run)
        if han:
            out[-1] += initials
        else:
            out.append(initials)
        han = True
    return [t for t in out if t]


def plan_id_for(title: str, period: tuple[int, int] | None = None) -> str:
    """The id of a plan from its title (and its period; by default the one the title names)."""
    if period is None:
        period = period_of(title)
    core_text = _PERIOD_BRACKET.sub("", unicodedata.normalize("NFKC", title))
    tokens = _tokens(core_text)
    core = tokens[0][:MAX_CORE] if tokens else "plan"
    for t in tokens[1:]:  # whole words only: a long title keeps its first words
        if len(core) + 1 + len(t) > MAX_CORE:
            break
        core += "-" + t
    return f"{core}-{period[0]}-{period[1]}" if period else core


def slug(name: str) -> str:
    """An ASCII id from a file or folder name: ASCII letters, digits, ``_`` and ``-`` kept, Chinese as pinyin
    initials, anything else a hyphen."""
    parts: list[str] = []
    for m in _NAME_RUN.finditer(name):
        run = m.group(0)
        if run[0].isascii() and (run[0].isalnum() or run[0] in "_-"):
            parts.append(run)
        elif "\u3400" <= run[0] <= "\u9fff" or "\uf900" <= run[0] <= "\ufaff":
            parts.append(_initials(run))
        else:
            parts.append("-")
    s = re.sub(r"-{2,}", "-", "".join(parts)).strip("-")
    return s or "plan"
