"""Chinese numerals as used in plan numbering (一 … 九十九, 〇/零, 百)."""

from __future__ import annotations

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def cn_to_int(s: str) -> int:
    """Convert a Chinese or arabic numeral to an int.

    >>> [cn_to_int(x) for x in ["一", "十", "十二", "二十", "二十三", "一百零五", "17", "⑤"]]
    [1, 10, 12, 20, 23, 105, 17, 5]
    """
    s = s.strip()
    if len(s) == 1 and s in CIRCLED:
        return CIRCLED.index(s) + 1
    if s.isascii() and s.isdigit():
        return int(s)
    total, current = 0, 0
    for ch in s:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            raise ValueError(f"not a numeral: {s!r}")
    return total + current
