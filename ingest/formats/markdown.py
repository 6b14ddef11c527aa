"""Markdown: the syntax removed, the plan's own numbering kept, every character mapped to the file.

``Source.original`` is the decoded file; ``Source.text`` is its content without Markdown syntax, and
``Source.offsets[i]`` is the index in ``original`` of ``text[i]`` (the line ends, the paragraph-end spaces
and the cell tabs the loader adds point at the newline or the ``|`` they stand for).

- ``#`` … ``######`` heading marks (and closing ``#``), setext underlines, ``>`` quote marks, bullet marks
  ``-`` ``*`` ``+`` and task boxes are removed; an ordered-list number (``1.``) stays: at a line start in a
  Chinese plan it is the plan's own numbering;
- ``**…**``, ``__…__``, ``~~…~~``, ``*…*`` delimiters, code backticks, link targets, images, HTML tags and
  comments, front matter and reference definitions are removed; backslash escapes and entities resolved;
- a pipe table becomes one line per row, cells ending in ``"\\t"``; its ``|---|`` separator row is dropped;
- a blank line ends a paragraph: the paragraph's last line ends in ``" \\n"`` (the parser's paragraph end),
  hard-wrapped lines inside it end in ``"\\n"`` and are joined by the segmenter; headings, list items and
  table rows are paragraphs of their own.

Hints: ``("title", …)`` from the first level-1 heading when it carries no plan numbering (else from the
front matter's ``title:``).
"""

from __future__ import annotations

import html
import itertools
import re
from dataclasses import dataclass, field

from plangraph.ingest.formats.text import decode
from plangraph.ingest.load import Source
from plangraph.ingest.models import ParseWarning

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+|$)")
_ATX_CLOSE = re.compile(r"[ \t]+#+[ \t]*$|^#+[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_QUOTE = re.compile(r"^ {0,3}> ?")
_BULLET = re.compile(r"^[ \t]*[-*+][ \t]+(?:\[[ xX]\][ \t]+)?")
_ORDERED = re.compile(r"^[ \t]*\d{1,9}[.)][ \t]+")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_REF_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*\S+")
_TABLE_SEP = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_PIPE = re.compile(r"(?<!\\)\|")
_HARD_BREAK = re.compile(r"(?: {2,}|\\)$")

# inline syntax: the groups named ``keep`` are text, everything else in a match is dropped
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_CODE = re.compile(r"(`+)(?P<keep>.+?)\1")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[(?P<keep>[^\]]+)\](?:\([^)]*\)|\[[^\]]*\])")
_AUTOLINK = re.compile(r"<(?P<keep>(?:https?|ftp|mailto):[^>\s]+|[^>\s@]+@[^>\s]+)>")
_COMMENT = re.compile(r"<!--.*?-->")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(?P<keep>.+?)(?<=\S)\1")
_STRIKE = re.compile(r"~~(?=\S)(?P<keep>.+?)(?<=\S)~~")
_EMPHASIS = re.compile(r"(?<![\w*\\])([*_])(?=[^\s*_])(?P<keep>[^*_]+?)(?<=[^\s*_])\1(?![\w*])")
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);")

_DROP, _LITERAL = "\x00", "\x01"  # placeholders in the working copy of a line


def load(data: bytes, path: str) -> Source:
    """A Markdown plan: the text without Markdown syntax, mapped to the file."""
    original, encoding = decode(data, path)
    conv = convert(original)
    notes: tuple[ParseWarning, ...] = ()
    if conv.images:
        notes = (
            ParseWarning(
                code="I010",
                message=f"{conv.images} image(s) not read: text inside images is not extracted",
                line=conv.first_image_line,
            ),
        )
    hints = (("title", conv.title),) if conv.title else ()
    return Source(path, data, original, encoding, "markdown", conv.text, conv.offsets, (), notes, hints)


@dataclass
class Converted:
    text: str
    offsets: tuple[int, ...]
    title: str | None = None
    images: int = 0
    first_image_line: int | None = None


@dataclass
class _Line:
    chars: list[str]
    offs: list[int]
    newline: int  # original index the line end maps to
    end: bool = False  # the paragraph ends here


@dataclass
class _State:
    out: list[_Line] = field(default_factory=list)
    open: bool = False  # the last line belongs to a paragraph that goes on
    open_lines: int = 0
    images: int = 0
    first_image_line: int | None = None
    h1: str | None = None  # text of the first level-1 heading
    h1_seen: bool = False


def convert(original: str) -> Converted:
    """Markdown → (text, offsets), the title candidate and the images dropped.

    >>> md = "# 某某规划\\n\\n## 一、总体要求\\n\\n**坚持创新。**推进\\n改革。\\n"
    >>> c = convert(md)
    >>> c.text, c.title
    ('某某规划 \\n一、总体要求 \\n坚持创新。推进\\n改革。 \\n', '某某规划')
    >>> all(md[c.offsets[i]] == ch for i, ch in enumerate(c.text) if ch not in " \\n\\t")
    True
    """
    st = _State()
    lines = _split_lines(original)
    n = len(lines)
    k = _front_matter_end(lines)
    front_title = _front_title(lines[:k]) if k else None
    fence: str | None = None
    in_table = in_comment = False
    while k < n:
        raw, start, newline = lines[k]
        k += 1
        if in_comment:
            if "-->" in raw:
                in_comment = False
            continue
        if fence is not None:
            if raw.strip().startswith(fence):
                fence = None
            else:
                _emit(st, raw.rstrip(), start, newline, end=True, literal=True)
            continue
        body, start = _unquote(raw, start)
        if not body.strip():
            _close(st)
            in_table = False
            continue
        m = _FENCE.match(body)
        if m:
            _close(st)
            fence = m.group(1)[0] * 3
            continue
        if body.lstrip().startswith("<!--") and "-->" not in body:
            in_comment = True
            continue
        if in_table and _PIPE.search(body):
            _row(st, body, start, newline)
            continue
        in_table = False
        setext = _SETEXT.match(body)
        if setext and st.open and st.open_lines == 1:  # the paragraph line above is a heading
            if setext.group(1)[0] == "=" and not st.h1_seen:
                st.h1_seen = True
                st.h1 = "".join(st.out[-1].chars).strip()
            _close(st)
            continue
        if _BREAK.match(body) or _REF_DEF.match(body):
            _close(st)
            continue
        m = _ATX.match(body)
        if m:
            _close(st)
            head = body[m.end() :]
            close = _ATX_CLOSE.search(head)
            if close:
                head = head[: close.start()]
            line = _emit(st, head, start + m.end(), newline, end=True)
            if len(m.group(1)) == 1 and not st.h1_seen:
                st.h1_seen = True
                st.h1 = "".join(line.chars).strip()
            continue
        if _PIPE.search(body) and k < n and _TABLE_SEP.match(lines[k][0]) and "|" in lines[k][0]:
            _close(st)
            _row(st, body, start, newline)
            k += 1  # the separator row
            in_table = True
            continue
        m = _BULLET.match(body) or _ORDERED.match(body)
        if m:
            _close(st)
            if m.re is _BULLET:
                body, start = body[m.end() :], start + m.end()
        stripped = body.lstrip()
        start += len(body) - len(stripped)
        hard = bool(_HARD_BREAK.search(stripped))
        text = stripped.rstrip(" \\") if hard else stripped.rstrip()
        _emit(st, text, start, newline, end=hard)
    _close(st)
    chars: list[str] = []
    offs: list[int] = []
    for line in st.out:
        chars.extend(line.chars)
        offs.extend(line.offs)
        if line.end:
            chars.append(" ")
            offs.append(line.newline)
        chars.append("\n")
        offs.append(line.newline)
    offs.append(len(original))
    title = st.h1 if st.h1 and _is_title(st.h1) else (front_title or None)
    return Converted("".join(chars), tuple(offs), title, st.images, st.first_image_line)


def _split_lines(original: str) -> list[tuple[str, int, int]]:
    """(line without its line break, start offset, offset of its line break)."""
    out = []
    start = 0
    for m in re.finditer(r"\r\n|\n|\r", original):
        out.append((original[start : m.start()], start, m.end() - 1))
        start = m.end()
    if start < len(original):  # a last line without a line break: its end maps to its last character
        out.append((original[start:], start, len(original) - 1))
    return out


def _front_matter_end(lines: list[tuple[str, int, int]]) -> int:
    """The index after a YAML front matter block (``---`` … ``---``) at the top, else 0."""
    if not lines or lines[0][0].strip() != "---":
        return 0
    for i in range(1, min(len(lines), 100)):
        if lines[i][0].strip() in ("---", "..."):
            return i + 1
    return 0


def _front_title(lines: list[tuple[str, int, int]]) -> str | None:
    for raw, _, _ in lines:
        m = re.match(r"^title:\s*(.+?)\s*$", raw)
        if m:
            return m.group(1).strip("\"'").strip() or None
    return None


def _is_title(text: str) -> bool:
    from plangraph.ingest.segment import find_marker

    return 0 < len(text) <= 100 and find_marker(text) is None


def _unquote(line: str, start: int) -> tuple[str, int]:
    while True:
        m = _QUOTE.match(line)
        if not m:
            return line, start
        line, start = line[m.end() :], start + m.end()


def _close(st: _State) -> None:
    if st.open and st.out:
        st.out[-1].end = True
    st.open = False
    st.open_lines = 0


def _emit(st: _State, text: str, start: int, newline: int, *, end: bool, literal: bool = False) -> _Line:
    if literal:  # a code block: the characters as they are
        chars = [" " if c == "\t" else c for c in text]
        offs = list(range(start, start + len(text)))
    else:
        chars, offs = _inline(st, text, start, newline)
    line = _Line(chars, offs, newline, end)
    if not "".join(chars).strip():  # nothing left (an image line, an empty heading)
        if end:
            _close(st)
        return line
    st.out.append(line)
    if end:
        st.open = False
        st.open_lines = 0
    else:
        st.open = True
        st.open_lines += 1
    return line


def _row(st: _State, body: str, start: int, newline: int) -> None:
    """A pipe-table row: each cell's text followed by a tab (mapped to the ``|`` after the cell)."""
    pipes = [m.start() for m in _PIPE.finditer(body)]
    first = len(body) - len(body.lstrip())
    bounds = [-1, *pipes, len(body)]
    if pipes and body[first:].startswith("|"):
        bounds = bounds[1:]
    if pipes and not body[pipes[-1] + 1 :].strip():
        bounds = bounds[:-1]
    chars: list[str] = []
    offs: list[int] = []
    for a, b in itertools.pairwise(bounds):
        cell = body[a + 1 : b]
        lead = len(cell) - len(cell.lstrip())
        c, o = _inline(st, cell.strip(), start + a + 1 + lead, newline)
        chars.extend(c)
        offs.extend(o)
        chars.append("\t")
        offs.append(start + b if b < len(body) else newline)
    _close(st)
    if "".join(chars).strip():
        st.out.append(_Line(chars, offs, newline, end=True))


def _inline(st: _State, text: str, start: int, newline: int) -> tuple[list[str], list[int]]:
    """The text of a line without inline syntax, and the original index of each character."""
    work = list(text)

    def drop(a: int, b: int) -> None:
        for i in range(a, b):
            work[i] = _DROP

    def protect(a: int, b: int) -> None:
        for i in range(a, b):
            if work[i] != _DROP:
                work[i] = _LITERAL

    def apply(pattern: re.Pattern[str], literal: bool = False) -> int:
        found = 0
        s = "".join(work)
        for m in pattern.finditer(s):
            found += 1
            if "keep" in pattern.groupindex and m.group("keep") is not None:
                drop(m.start(), m.start("keep"))
                drop(m.end("keep"), m.end())
                if literal:
                    protect(m.start("keep"), m.end("keep"))
            else:
                drop(m.start(), m.end())
        return found

    replaced: dict[int, str] = {}
    for m in _ESCAPE.finditer(text):
        if work[m.start()] == "\\":
            work[m.start()] = _DROP
            work[m.start() + 1] = _LITERAL
    apply(_CODE, literal=True)
    apply(_COMMENT)
    images = apply(_IMAGE)
    if images:
        st.images += images
        if st.first_image_line is None:
            st.first_image_line = len(st.out) + 1
    apply(_AUTOLINK, literal=True)
    apply(_LINK)
    apply(_TAG)
    for pattern in (_STRONG, _STRIKE, _EMPHASIS):
        for _ in range(3):  # nested: ***强调*** , **~~删~~**
            if not apply(pattern):
                break
    s = "".join(work)
    for m in _ENTITY.finditer(s):
        value = html.unescape(m.group(0))
        if value != m.group(0):
            drop(m.start() + 1, m.end())
            replaced[m.start()] = value
    chars: list[str] = []
    offs: list[int] = []
    for i, w in enumerate(work):
        if w == _DROP:
            continue
        ch = replaced.get(i, text[i])
        for c in ch:
            chars.append(" " if c in "\t\r\n" else c)
            offs.append(start + i)
    return chars, offs
