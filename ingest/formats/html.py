"""HTML pages: the article's text with the site's furniture removed, tables kept as tables, every character
mapped to its index in the original HTML.

The page is parsed into a tree by a small tolerant parser of its own (tags, omitted end tags of ``p``,
``li``, ``td``/``th``, ``tr``, comments, ``<script>``/``<style>`` skipped), so that every text character keeps
its offset. Boilerplate is removed element by element, each removal reported (I101, with line and column):

- elements that are never text: ``nav``, ``aside``, ``footer``, ``header`` outside the article, ``form``,
  ``button``, ``select``, ``iframe``, ``noscript``, ``svg`` …, and hidden ones (``display:none``, ``hidden``);
- elements whose class or id names furniture (nav, menu, breadcrumb, crumb, footer, share, print, toolbar,
  sidebar, copyright, search, login, qrcode, related, pager …), unless they hold a large share of the page's
  text (a content ``div`` called ``print-area`` stays);
- link lists (a block whose text is mostly link text), 原文/下载/打印/关闭 links, short blocks that are a web
  page's furniture by their words (当前位置, 分享到, 【字体：大 中 小】, 责任编辑, 版权所有, ICP备 …);
- metadata tables and lists (索引号, 发文机关, 成文日期, 发文字号 …): removed from the text, their values kept
  as hints ``issuer``, ``issued``, ``doc_number`` (I102).

Text: block elements end with ``" \\n"`` (the parser's paragraph end), ``<br>`` ends a line (a space inside a
table cell), entities are resolved (every character of an entity maps to its ``&``), white space inside
text becomes spaces. A data table is one line per row with every cell ending in ``"\\t"``; a layout table
(one holding another table, or a long one- or two-column page frame) is read as blocks.

Hints: ``("title", …)`` from the ``<h1>`` (or ``<meta name="ArticleTitle">`` / ``<title>``) that names a
plan or its issuing notice (the plan's title is taken from the notice's 《…》), site names after ``_`` or
``|`` cut off.
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass, field

from plangraph.ingest.boundaries import is_web_noise, title_end
from plangraph.ingest.formats.text import decode
from plangraph.ingest.load import Source
from plangraph.ingest.models import ParseWarning

_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)|<!\[CDATA\[.*?(?:\]\]>|\Z)|<![^>]*>|<\?[^>]*>"
    r"|<(?P<close>/?)(?P<name>[a-zA-Z][a-zA-Z0-9:-]*)(?P<attrs>(?:\"[^\"]*\"|'[^']*'|[^'\">])*)>",
    re.S,
)
_ENTITY = re.compile(r"&(#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});?")
_RAW_TEXT = {"script", "style", "textarea", "title", "xmp", "template"}
_VOID = {
    "br", "img", "hr", "meta", "link", "input", "area", "base", "col", "embed", "source", "track", "wbr",
    "param", "keygen", "basefont", "frame",
}  # fmt: skip
_BLOCK = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dd", "dt", "section", "article",
    "main", "blockquote", "pre", "table", "tr", "caption", "thead", "tbody", "tfoot", "figure", "figcaption",
    "center", "address", "hr", "header", "footer", "nav", "aside", "form", "fieldset", "legend", "body",
    "html", "details", "summary", "option",
}  # fmt: skip
_CLOSES_P = _BLOCK - {"body", "html", "tr", "thead", "tbody", "tfoot", "caption", "li", "dd", "dt", "option"}
_INLINE = {
    "a",
    "span",
    "b",
    "strong",
    "i",
    "em",
    "u",
    "font",
    "small",
    "big",
    "sub",
    "sup",
    "s",
    "strike",
    "label",
}
#: elements that never hold plan text
_NEVER = {
    "nav", "aside", "form", "button", "select", "iframe", "noscript", "svg", "canvas", "audio", "video",
    "object", "embed", "map", "menu", "input", "script", "style", "template", "textarea", "head",
}  # fmt: skip
_HEADINGS = {"h1", "h2", "h3"}
#: words of class/id names that mark a site's furniture; the weak ones only where little text is inside
_FURNITURE = {
    "nav", "navbar", "navigation", "menu", "menus", "breadcrumb", "breadcrumbs", "crumb", "crumbs", "bread",
    "footer", "foot", "share", "sharing", "bdshare", "jiathis", "print", "toolbar", "tools", "sidebar",
    "copyright", "login", "search", "topbar", "banner", "advert", "ads", "comment", "comments", "related",
    "recommend", "pagination", "pager", "qrcode", "ewm", "erweima", "fontsize", "switchsize", "weixin",
    "weibo", "social", "bottom", "shortcut", "skip", "guide", "location", "position", "dqwz",
}  # fmt: skip
_WEAK_FURNITURE = {"header", "head", "top", "mhead", "logo", "tab", "tabs", "side", "ad"}
_NAME_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_ATTR = re.compile(r"([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_META_KEYS = (
    "索引号",
    "发文机关",
    "成文日期",
    "发布日期",
    "发文字号",
    "主题分类",
    "发布机构",
    "文号",
    "主题词",
)
_META_FIELD = {
    "发文机关": "issuer",
    "发布机构": "issuer",
    "发文单位": "issuer",
    "成文日期": "issued",
    "发文字号": "doc_number",
    "文号": "doc_number",
    "标题": "title",
    "名称": "title",
}
_META_LABEL = re.compile(
    r"(索\s*引\s*号|主\s*题\s*分\s*类|发\s*文\s*机\s*关|发\s*布\s*机\s*构|发\s*文\s*单\s*位|成\s*文\s*日\s*期|"
    r"发\s*布\s*日\s*期|发\s*文\s*字\s*号|文\s*号|标\s*题|名\s*称|主\s*题\s*词|有\s*效\s*性)\s*[:：]?"
)
_LINK_WORDS = re.compile(
    r"^[【\[]?\s*(?:查看)?(?:原文|原文链接|原文地址|下载|附件下载|打印|打印本页|关闭|关闭窗口|收藏|分享|返回|"
    r"返回顶部|纠错|上一篇|下一篇|English)\s*[】\]]?\s*[:：]?$"
)
_SITE_SEPARATOR = re.compile(r"\s*(?:_|\||｜|——|--|\s-\s|\s–\s)\s*")
_PLAN_TITLE = title_end("通知")
_NOTICE_TITLE = re.compile(r"关于(?:联合)?(?:印发|发布|转发|下发|颁布)(.+?)的(?:通知|函)$")


@dataclass(eq=False)
class _El:
    tag: str
    attrs: str
    start: int  # offset of "<"
    parent: _El | None
    children: list[_El | tuple[int, int]] = field(default_factory=list)  # elements and text runs
    end: int = -1  # offset where the element ends (its end tag's "<", or where it was closed)
    text_len: int = 0  # visible characters below (white space aside)
    link_len: int = 0  # of which inside <a>
    removed: str | None = None  # why it is not read

    def attr(self, name: str) -> str:
        for m in _ATTR.finditer(self.attrs):
            if m.group(1).lower() == name:
                v = m.group(2) or ""
                return v[1:-1] if v[:1] in "\"'" and len(v) >= 2 else v
        return ""

    def has_attr(self, name: str) -> bool:
        return any(m.group(1).lower() == name for m in _ATTR.finditer(self.attrs))

    def elements(self) -> list[_El]:
        return [c for c in self.children if isinstance(c, _El)]

    def descendants(self) -> list[_El]:
        out: list[_El] = []
        todo = self.elements()[::-1]
        while todo:
            e = todo.pop()
            out.append(e)
            todo.extend(e.elements()[::-1])
        return out


def parse_tree(original: str) -> _El:
    """A tolerant tree of the page: end tags may be missing (``p``, ``li``, cells, rows) or stray."""
    root = _El("#root", "", 0, None)
    stack = [root]
    pos = 0
    n = len(original)
    while pos < n:
        m = _TOKEN.search(original, pos)
        if m is None:
            stack[-1].children.append((pos, n))
            break
        if m.start() > pos:
            stack[-1].children.append((pos, m.start()))
        pos = m.end()
        name = (m.group("name") or "").lower()
        if not name:
            continue  # comment, doctype, CDATA, processing instruction
        if m.group("close"):
            for i in range(len(stack) - 1, 0, -1):
                if stack[i].tag == name:
                    for el in stack[i:]:
                        el.end = m.start()
                    del stack[i:]
                    break
            continue
        _close_implied(stack, name, m.start())
        el = _El(name, m.group("attrs") or "", m.start(), stack[-1])
        stack[-1].children.append(el)
        if name in _RAW_TEXT:
            close = re.compile(rf"</{name}\s*>", re.I).search(original, pos)
            stop = close.start() if close else n
            if name == "title":
                el.children.append((pos, stop))
            el.end = stop
            pos = close.end() if close else n
            continue
        if name in _VOID or (m.group("attrs") or "").rstrip().endswith("/"):
            el.end = m.end()
            continue
        stack.append(el)
    for el in stack[1:]:
        el.end = n
    root.end = n
    return root


def _close_implied(stack: list[_El], name: str, at: int) -> None:
    """Close what a start tag closes: an open ``p`` before a block, the previous ``li``/cell/row/``dd``."""

    def close_to(i: int) -> None:
        for el in stack[i:]:
            el.end = at
        del stack[i:]

    if name in _CLOSES_P:
        for i in range(len(stack) - 1, 0, -1):
            if stack[i].tag == "p":
                close_to(i)
                break
            if stack[i].tag not in _INLINE:
                break
    scopes = {
        "li": ({"li"}, {"ul", "ol", "menu"}),
        "dd": ({"dd", "dt"}, {"dl"}),
        "dt": ({"dd", "dt"}, {"dl"}),
        "td": ({"td", "th"}, {"tr", "table"}),
        "th": ({"td", "th"}, {"tr", "table"}),
        "tr": ({"tr"}, {"table", "tbody", "thead", "tfoot"}),
        "tbody": ({"tbody", "thead", "tfoot", "tr"}, {"table"}),
        "thead": ({"tbody", "thead", "tfoot", "tr"}, {"table"}),
        "tfoot": ({"tbody", "thead", "tfoot", "tr"}, {"table"}),
        "option": ({"option"}, {"select", "datalist"}),
    }
    if name in scopes:
        targets, barrier = scopes[name]
        for i in range(len(stack) - 1, 0, -1):
            tag = stack[i].tag
            if tag in targets:
                close_to(i)
                break
            if tag in barrier:
                break


# -- measuring and removing -------------------------------------------------------------------------


def _measure(el: _El, original: str, in_link: bool = False) -> None:
    link = in_link or el.tag == "a"
    total = links = 0
    for c in el.children:
        if isinstance(c, tuple):
            k = _visible_len(original[c[0] : c[1]])
            total += k
            links += k if link else 0
        elif c.tag not in ("script", "style", "head", "template", "title"):
            _measure(c, original, link)
            total += c.text_len
            links += c.link_len
    el.text_len, el.link_len = total, links


def _visible_len(raw: str) -> int:
    return len(re.sub(r"\s+|&nbsp;?", "", _ENTITY.sub("x", raw)))


def _class_words(el: _El) -> set[str]:
    words: set[str] = set()
    for value in (el.attr("class"), el.attr("id")):
        for token in re.split(r"[\s_\-.]+", value):
            if token:
                words.add(token.lower())
                words.update(w.lower() for w in _NAME_WORD.findall(token))
    return words


def _text_of(el: _El, original: str) -> str:
    parts: list[str] = []

    def walk(e: _El) -> None:
        for c in e.children:
            if isinstance(c, tuple):
                parts.append(html.unescape(original[c[0] : c[1]]))
            elif c.tag not in ("script", "style", "template"):
                if c.tag in _BLOCK or c.tag in ("td", "th", "br"):
                    parts.append(" ")
                walk(c)

    walk(el)
    return re.sub(r"\s+", " ", "".join(parts).replace("\xa0", " ")).strip()


@dataclass
class _Page:
    original: str
    body_len: int
    notes: list[ParseWarning] = field(default_factory=list)
    hints: dict[str, str] = field(default_factory=dict)
    line_starts: list[int] = field(default_factory=list)
    removed_chars: int = 0

    def place(self, offset: int) -> tuple[int, int | None]:
        line = bisect.bisect_right(self.line_starts, offset)
        start = self.line_starts[line - 1]
        end = self.line_starts[line] if line < len(self.line_starts) else len(self.original)
        return line, (offset - start + 1 if end - start > 300 else None)

    def remove(self, el: _El, why: str, code: str = "I101") -> None:
        el.removed = why
        self.removed_chars += el.text_len
        preview = _text_of(el, self.original)[:24]
        line, col = self.place(el.start)
        what = f"{why} <{el.tag}>" + (f" «{preview}…»" if preview else "")
        self.notes.append(
            ParseWarning(code=code, message=f"page furniture removed: {what}", line=line, column=col)
        )


def _furniture(root: _El, page: _Page, original: str) -> None:
    """Mark the elements that are not the article (see the module's docstring)."""
    body_len = max(page.body_len, 1)

    def visit(el: _El, in_article: bool) -> None:
        for c in el.elements():
            why = _why_furniture(c, original, in_article, body_len, page)
            if why is not None:
                if why:
                    page.remove(c, why)
                else:
                    c.removed = "metadata"
                continue
            visit(c, in_article or c.tag in ("article", "main"))

    visit(root, False)


def _why_furniture(el: _El, original: str, in_article: bool, body_len: int, page: _Page) -> str | None:
    """Why an element is furniture ("" for a metadata table, read as hints), or None."""
    tag = el.tag
    if tag == "head":
        return ""
    if tag in _NEVER:
        return f"{tag} element" if el.text_len else ""
    if el.has_attr("hidden") or _HIDDEN_STYLE.search(el.attr("style")):
        return "hidden element" if el.text_len else ""
    if tag in ("header", "footer") and not in_article and el.text_len < 0.3 * body_len:
        return f"page {tag}"
    share = el.text_len / body_len
    words = _class_words(el)
    strong = words & _FURNITURE
    if strong and share < 0.3 and not _holds_heading(el):
        return f"{sorted(strong)[0]!r} block"
    weak = words & _WEAK_FURNITURE
    if weak and el.text_len < 200 and not _holds_heading(el):
        return f"{sorted(weak)[0]!r} block"
    text = _text_of(el, original) if el.text_len < 1200 else ""
    if tag in ("table", "div", "ul", "ol", "dl", "p", "span", "td", "tr") and text:
        squashed = re.sub(r"\s+", "", text)
        keys = [k for k in _META_KEYS if k in squashed]
        if len(keys) >= 2:
            _read_metadata(el, original, page)
            line, col = page.place(el.start)
            page.notes.append(
                ParseWarning(
                    code="I102",
                    message=f"page metadata ({', '.join(keys)}) read and removed from the text",
                    line=line,
                    column=col,
                )
            )
            return ""
    if el.text_len and el.link_len >= 0.6 * el.text_len and tag not in _INLINE and el.link_len >= 4:
        return "link list"
    if tag == "a" and _LINK_WORDS.match(text):
        return "link"
    short = (tag in _BLOCK or tag in _INLINE) and el.text_len <= 80
    if short and text and is_web_noise(text) and not _holds_heading(el):
        return "web page line"
    return None


def _holds_heading(el: _El) -> bool:
    return any(h.tag in _HEADINGS for h in el.descendants()) or el.tag in _HEADINGS


def _read_metadata(el: _El, original: str, page: _Page) -> None:
    """Values of a metadata table: cells ``发文机关：`` ``国务院`` or ``发文机关：国务院`` in one text."""
    text = _text_of(el, original)
    marks = list(_META_LABEL.finditer(text))
    for m, nxt in zip(marks, [*marks[1:], None], strict=False):
        key = re.sub(r"\s+", "", m.group(1))
        value = text[m.end() : nxt.start() if nxt else len(text)].strip(" ：:")
        name = _META_FIELD.get(key)
        if name and value and name not in page.hints:
            page.hints[name] = value


# -- text -------------------------------------------------------------------------------------------


class _Out:
    def __init__(self, original: str) -> None:
        self.original = original
        self.chars: list[str] = []
        self.offs: list[int] = []

    def emit(self, s: str, at: int) -> None:
        for ch in s:
            self.chars.append(ch)
            self.offs.append(at)

    def end_block(self, at: int) -> None:
        if self.chars and self.chars[-1] != "\n":
            self.emit(" \n", at)  # trailing space: the genre's paragraph-end mark

    def space(self, at: int) -> None:
        if self.chars and self.chars[-1] not in " \t\n":
            self.emit(" ", at)

    def text(self, a: int, b: int, pre: bool) -> None:
        raw = self.original
        if (not self.chars or self.chars[-1] == "\n") and not raw[a:b].strip():
            return  # white space between blocks (the page's own line breaks and indentation)
        pos = a
        while pos < b:
            ch = raw[pos]
            if ch == "&":
                m = _ENTITY.match(raw, pos, b)
                if m and (
                    m.group(0).endswith(";") or m.group(1).lower() in ("nbsp", "amp", "lt", "gt", "quot")
                ):
                    value = html.unescape(m.group(0) if m.group(0).endswith(";") else m.group(0) + ";")
                    self.emit(value.replace("\r", " ").replace("\n", " "), pos)
                    pos = m.end()
                    continue
            if ch == "\n" and pre:
                self.emit(" \n", pos)
            elif ch in "\r\n\t\f":
                self.emit(" ", pos)
            else:
                self.emit(ch, pos)
            pos += 1


def _is_layout_table(table: _El) -> bool:
    rows = [r for r in table.descendants() if r.tag == "tr" and _owner_table(r) is table]
    if any(d.tag == "table" for d in table.descendants()):
        return True
    width = max((len([c for c in r.elements() if c.tag in ("td", "th")]) for r in rows), default=0)
    return width <= 2 and table.text_len > 3000


def _owner_table(el: _El) -> _El | None:
    p = el.parent
    while p is not None and p.tag != "table":
        p = p.parent
    return p


def _emit(el: _El, out: _Out, in_cell: bool = False, pre: bool = False) -> None:
    for c in el.children:
        if isinstance(c, tuple):
            out.text(c[0], c[1], pre)
            continue
        if c.removed is not None:
            if c.tag in _BLOCK and not in_cell:
                out.end_block(c.start)
            continue
        tag = c.tag
        if tag in ("script", "style", "template", "title", "head"):
            continue
        if tag == "br":
            if in_cell:
                out.space(c.start)
            else:
                out.end_block(c.start)
            continue
        if tag == "table" and not in_cell and not _is_layout_table(c):
            out.end_block(c.start)
            _emit_table(c, out)
            out.end_block(c.end)
            continue
        if tag in ("td", "th"):
            if in_cell:
                _emit(c, out, True, pre)
                out.space(c.end)
            else:  # a cell of a layout table: a block
                out.end_block(c.start)
                _emit(c, out, False, pre)
                out.end_block(c.end)
            continue
        if tag in _BLOCK:
            if in_cell:
                out.space(c.start)
            else:
                out.end_block(c.start)
            _emit(c, out, in_cell, pre or tag == "pre")
            if in_cell:
                out.space(c.end)
            else:
                out.end_block(c.end)
            continue
        _emit(c, out, in_cell, pre)


def _emit_table(table: _El, out: _Out) -> None:
    """One line per row, each cell's text followed by a tab; the caption a line of its own."""
    for part in table.elements():
        if part.removed is not None:
            continue
        if part.tag == "caption":
            _emit(part, out)
            out.end_block(part.end)
        elif part.tag in ("thead", "tbody", "tfoot"):
            _emit_table(part, out)
        elif part.tag == "tr":
            cells = [c for c in part.elements() if c.tag in ("td", "th") and c.removed is None]
            if not cells:
                continue
            for cell in cells:
                _emit(cell, out, in_cell=True)
                while out.chars and out.chars[-1] == " " and out.offs[-1] >= cell.start:
                    out.chars.pop()
                    out.offs.pop()
                out.emit("\t", cell.end if cell.end > cell.start else cell.start)
            out.end_block(part.end)


# -- hints ------------------------------------------------------------------------------------------


def _title_hint(root: _El, original: str) -> str | None:
    """The plan's title as the page names it: an h1/h2 that names a plan or its notice, else the
    ArticleTitle meta, else the ``<title>`` with the site's name cut off."""
    candidates: list[str] = []
    for el in root.descendants():
        if el.tag in ("h1", "h2") and el.removed is None:
            candidates.append(_text_of(el, original))
    for el in root.descendants():
        if el.tag == "meta" and el.attr("name").lower() in ("articletitle", "title", "dc.title"):
            candidates.append(html.unescape(el.attr("content")).strip())
    for el in root.descendants():
        if el.tag == "title":
            raw = _text_of(el, original)
            parts = [p for p in _SITE_SEPARATOR.split(raw) if p]
            candidates += sorted(parts, key=lambda p: (not _PLAN_TITLE.search(p), -len(p)))[:1]
    for text in candidates:
        title = plan_title_of(text)
        if title:
            return title
    return None


def plan_title_of(text: str) -> str | None:
    """The plan's title in a heading or page title: the notice's 《…》 or the words it issues, or the
    text itself when it ends like a plan's title.

    >>> plan_title_of("国务院关于印发《“十四五”国家信息化规划》的通知"), plan_title_of("首页")
    ('“十四五”国家信息化规划', None)
    """
    t = re.sub(r"\s+", " ", text).strip()
    if not t or len(t) > 120:
        return None
    m = _NOTICE_TITLE.search(t)
    if m:
        inner = re.search(r"《([^《》]+)》", m.group(1))
        return (inner.group(1) if inner else m.group(1)).strip()
    if _PLAN_TITLE.search(t) and not t.endswith("通知"):
        return t.strip("《》")
    return None


def html_to_text(original: str) -> tuple[str, tuple[int, ...]]:
    """The page's text (see the module's docstring) and, per character, its index in ``original``
    (plus one past the end)."""
    text, offsets, _ = _convert(original)
    return text, offsets


def _convert(original: str) -> tuple[str, tuple[int, ...], _Page]:
    root = parse_tree(original)
    _measure(root, original)
    body = next((e for e in root.descendants() if e.tag == "body"), root)
    page = _Page(
        original, body.text_len, line_starts=[0] + [i + 1 for i, c in enumerate(original) if c == "\n"]
    )
    _furniture(root, page, original)
    out = _Out(original)
    _emit(root, out)
    offsets = (*out.offs, len(original))
    title = _title_hint(root, original)
    if title:
        page.hints.setdefault("page_title", title)
    return "".join(out.chars), offsets, page


def load(data: bytes, path: str) -> Source:
    original, encoding = decode(data, path)
    text, offsets, page = _convert(original)
    hints: list[tuple[str, str]] = []
    title = page.hints.get("page_title")
    meta_title = page.hints.get("title")
    if title:
        hints.append(("title", title))
    elif meta_title:
        t = plan_title_of(meta_title)
        if t:
            hints.append(("title", t))
    for key in ("issuer", "issued", "doc_number"):
        if page.hints.get(key):
            hints.append((key, page.hints[key]))
    notes = page.notes
    if len(notes) > 40:  # a page of many small removals: the first ones and a count
        rest = len(notes) - 39
        notes = [
            *notes[:39],
            ParseWarning(code="I101", message=f"… and {rest} more removals of page furniture"),
        ]
    return Source(path, data, original, encoding, "html", text, offsets, (), tuple(notes), tuple(hints))
