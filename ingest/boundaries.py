"""Where the plan is inside the file: front matter, tables of contents, back matter, attachments, a body
present twice — and the metadata they carry (title, issuer, document number, date, period).

Runs once, between normalize and segment (:func:`find_plan`). What it removes is not plan text: it becomes
:class:`DocumentMeta` and is reported, one I-code per stretch with its lines, so nothing is hidden:

| code | what was removed or found |
|---|---|
| I801 | the issuing notice (…关于印发《…》的通知, its addressees, body, signature and date) |
| I802 | the document number line (国发〔2021〕29号) |
| I803 | the plan's title line(s) — the title is metadata |
| I804 | issuer and date lines of the cover (工业和信息化部 / 二〇二一年十二月), 此件公开发布 |
| I805 | a table of contents (目录, entries with dot leaders and page numbers, or a list of headings) |
| I806 | back matter: colophon (…印发, 抄送, 初校/终校), signature and date, a list of attachments |
| I807 | a web page's furniture copied with the text (当前位置, 打印, 分享到, 版权所有, 原文链接 …) and its
|      | metadata lines (索引号, 发文机关, 成文日期 …; their values are kept as metadata) |
| I808 | an attachment label above the plan (附件 — the plan is itself the attachment of a notice) |
| I809 | an attachment after the body (附件1 名词解释): kept, see ``Normalized.attachments`` |
| W803 | the body present twice (page and print view): the second copy is not read |

Attachments stay in ``Normalized.lines``; ``Normalized.attachments`` says where each begins (the index of
its 附件 line) so the structure stage can make it a part of its own instead of text of the last section.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from plangraph.ingest.models import ParseWarning
from plangraph.ingest.normalize import Attachment, Line, Normalized, match_key
from plangraph.ingest.planid import period_of

_CN_NUM = "一二三四五六七八九十百零〇"
#: a numbering marker at the start of a line (a heading or an item), see ingest.segment
_MARKER = re.compile(
    rf"^(?:第\s*[{_CN_NUM}\d]+\s*[篇章节]|[{_CN_NUM}]+\s*、|[（(]\s*[{_CN_NUM}]+\s*[）)]|\d{{1,2}}\s*[.．、)）]"
    rf"|[（(]\s*\d{{1,2}}\s*[）)]|[①-⑳]|专\s*栏)"
)
#: the top level of the outline: 第X篇 / 第X章 / 一、
_TOP_MARKER = re.compile(rf"^(?:第\s*[{_CN_NUM}\d]+\s*[篇章]|[{_CN_NUM}]+\s*、)")
#: a table-of-contents entry: dot leaders (…… or .....) and a page number
_LEADER = re.compile(r"(?:[.．·•…⋯]\s*){4,}\s*\d{1,3}$|…{2,}\s*\d{1,3}$")
_SPACED_PAGE = re.compile(r"\S {3,}\d{1,3}$")
_TOC_HEAD = {"目录", "目次", "目錄"}
_SENTENCE = re.compile(r"[。；！？!?]")
#: The words a plan's title ends with (and a bracketed period after them): one list for every stage.
TITLE_WORDS = "规划|纲要|计划|方案|意见|建议|要点|指南|战略|办法|规定|决定|行动"


def title_end(extra: str = "") -> re.Pattern[str]:
    """A title that ends like a plan's (``extra``: more words, e.g. ``通知`` for a page title)."""
    words = TITLE_WORDS + (f"|{extra}" if extra else "")
    return re.compile(rf"(?:{words})(?:[（(][^（）()]{{1,24}}[）)])*$")


_TITLE_END = title_end()
_BRACKET_LINE = re.compile(r"^[（(][^（）()]{2,24}[）)]$")
_NOTICE = re.compile(
    r"^(?P<issuer>.{0,80}?)关于(?:联合)?(?:印发|发布|转发|下发|颁布)(?P<title>.+?)的(?:通知|函)$"
)
_DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,14}\s*[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*第?\s*\d{1,4}\s*号"
)
_DATE = re.compile(
    r"^[（(]?\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?\s*[）)]?\s*"
    r"(?:印发|发布|制定|通过)?$"
)
_CN_DATE = re.compile(
    r"^[（(]?\s*([〇零○一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月"
    r"(?:\s*([一二三四五六七八九十]{1,3})\s*日)?\s*[）)]?$"
)
_COLOPHON_DATE = re.compile(
    r"^(?P<office>.{2,40}?)\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:印发|发布)$"
)
_COLOPHON = re.compile(r"^(?:抄送|主送|主题词|初校|终校|校对|印发|联系人|联系电话)\s*[:：]")
_PUBLIC = re.compile(r"^[（(]\s*此件(?:公开发布|主动公开|依申请公开|不予公开|不公开)\s*[）)]$")
_ORG_SUFFIX = re.compile(
    r"(?:部|厅|局|委|委员会|办公室|办公厅|人民政府|政府|院|署|总局|中心|办|会|联合会|协会|小组|集团|公司|"
    r"等[一二三四五六七八九十\d]+个?部门)$"
)
_ATTACHMENT = re.compile(
    r"^(?P<label>(?:附\s*件|附\s*表)\s*(?:[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})?)\s*[:：]?$"
)
_ATTACHMENT_TITLED = re.compile(
    r"^(?P<label>(?:附\s*件|附\s*表)\s*(?:[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3}))\s*[:：]\s*(?P<title>\S.{1,40})$"
)
_ATTACHMENT_LIST = re.compile(r"^附\s*件\s*[:：]\s*(?:\d{1,2}\s*[.．、]|《)")
_LIST_ITEM = re.compile(r"^\d{1,2}\s*[.．、]\s*\S")

#: metadata fields of government web pages (索引号 … table) as they appear in copied text
_META_KEYS = {
    "发文机关": "issuer",
    "发布机构": "issuer",
    "发文单位": "issuer",
    "成文日期": "issued",
    "发文日期": "issued",
    "发文字号": "doc_number",
    "文号": "doc_number",
    "标题": "title",
    "名称": "title",
}
_META_LINE = re.compile(
    r"^(?:索\s*引\s*号|主\s*题\s*分\s*类|发\s*文\s*机\s*关|发\s*布\s*机\s*构|发\s*文\s*单\s*位|成\s*文\s*日\s*期|"
    r"发\s*文\s*日\s*期|发\s*布\s*日\s*期|发\s*文\s*字\s*号|文\s*号|标\s*题|名\s*称|主\s*题\s*词|公\s*文\s*种\s*类|"
    r"有\s*效\s*性|生\s*效\s*日\s*期|废\s*止\s*日\s*期|体\s*裁\s*分\s*类|组\s*配\s*分\s*类)\s*[:：]"
)
_META_PAIR = re.compile(
    r"(索引号|主题分类|发文机关|发布机构|发文单位|成文日期|发文日期|发布日期|发文字号|文号|标题|名称)[:：]"
)
#: a web page's furniture copied with the text: navigation, buttons, footers, disclaimers, links
_WEB_NOISE = re.compile(
    r"^(?:首页|当前位置|您现在的位置|您所在的位置|位置)\s*[:：>＞»›]"
    r"|^(?:【\s*)?(?:打印|打印本页|打印文章|关闭|关闭窗口|收藏|分享到?|字体|字号|返回顶部|纠错|下载)(?:\s*】)?"
    r"(?:\s*[:：].{0,40}|\s*[【\[].{0,40})?$"
    r"|^(?:扫一扫|分享到|责任编辑|编辑|来源|稿源|原文链接|原文地址|原文|网址|相关链接|相关文件|附件下载|浏览次数|"
    r"访问量|阅读次数)\s*[:：]"
    r"|版权所有|ICP\s*备|网站标识码|公网安备|Copyright|©"
    r"|^(?:主办单位|承办单位|协办单位|技术支持|联系我们|网站地图|免责声明|网站声明|隐私政策)(?:\s*[:：|｜]|$)"
    r"|^https?://\S+$",
    re.I,
)
_BREADCRUMB = re.compile(r"^[^。；，]{1,60}(?:\s*[>＞»›]\s*[^。；，>＞»›]{1,20}){2,}$")


@dataclass(frozen=True)
class DocumentMeta:
    """What the file itself says about the plan; the pipeline merges it with plan.yaml and the flags."""

    title: str | None = None
    title_source: str | None = None  # "title line", "notice", "page title" (the format's hint)
    title_line: int | None = None  # original line of the title in the file (None: not in the text)
    issuer: str | None = None
    doc_number: str | None = None
    issued: str | None = None  # ISO date: 2021-12-12, or 2021-12
    period: tuple[int, int] | None = None  # from the title
    toc: tuple[str, ...] = ()  # the table of contents' entries, leaders and page numbers cut off
    body_line: int | None = None  # original line where the plan's own text begins


@dataclass
class _Found:
    title: str | None = None
    title_source: str | None = None
    title_line: int | None = None
    notice_title: str | None = None
    issuer: str | None = None
    issuer_source: int = 9  # lower is better: 0 cover, 1 notice signature, 2 notice prefix, 3 page, 4 back
    doc_number: str | None = None
    issued: str | None = None
    issued_source: int = 9
    toc: list[str] = dataclasses.field(default_factory=list)

    def set_issuer(self, value: str, rank: int) -> None:
        if value and rank < self.issuer_source:
            self.issuer, self.issuer_source = value, rank

    def set_issued(self, value: str | None, rank: int) -> None:
        if value and rank < self.issued_source:
            self.issued, self.issued_source = value, rank


def find_plan(norm: Normalized) -> Normalized:
    """The normalized text with front matter, tables of contents, back matter and a repeated body removed;
    metadata, attachments and notes filled in."""
    lines = list(norm.lines)
    notes: list[ParseWarning] = list(norm.notes)
    found = _Found()
    keep = [True] * len(lines)

    def where(a: int, b: int) -> str:
        """Lines a…b-1 as the message names them: ``lines 3–9``, or columns where that is one long line."""
        first, last = lines[a].no, lines[b - 1].no
        if first != last:
            return f"lines {first}–{last}"
        col = norm.long_line_column(lines[a].offsets[0])
        if col is None:
            return f"line {first}"
        return f"line {first}, columns {col}–{norm.column_of(lines[b - 1].offsets[-1] - 1)}"

    def note(code: str, a: int, b: int, what: str) -> None:
        col = norm.long_line_column(lines[a].offsets[0])
        notes.append(ParseWarning(code=code, message=f"{what} ({where(a, b)})", line=lines[a].no, column=col))

    # 1. a body present twice: read the first copy
    dup = _duplicate(lines)
    if dup is not None:
        (a, b), (c, d) = dup
        for k in range(c, d):
            keep[k] = False
        col = norm.long_line_column(lines[c].offsets[0])
        notes.append(
            ParseWarning(
                code="W803",
                message=f"the body is in the file twice (page and print view?): {where(c, d)} repeat "
                f"{where(a, b)}; the second copy is not read",
                line=lines[c].no,
                column=col,
            )
        )
    live = [k for k in range(len(lines)) if keep[k]]

    # 2. front matter, from the top
    pos = 0
    seen_title = False
    seen_notice = False
    while pos < len(live):
        step = _front_step(lines, live, pos, found, seen_title, seen_notice)
        if step is None:
            break
        code, end, what = step
        seen_title = seen_title or code == "I803"
        seen_notice = seen_notice or code == "I801"
        note(code, live[pos], live[end - 1] + 1, what)
        for k in live[pos:end]:
            keep[k] = False
        pos = end
    if pos >= len(live):  # everything looked like front matter: it was not, keep the text
        for k in live:
            keep[k] = True
        notes = [n for n in notes if n.code == "W803"]
        found = _Found()
        pos = 0
    body = live[pos:]

    # 3. back matter, from the end
    end = len(body)
    while end > 1:
        step_back = _back_step(lines, body, end, found)
        if step_back is None:
            break
        start, what = step_back
        note("I806", body[start], body[end - 1] + 1, what)
        for k in body[start:end]:
            keep[k] = False
        end = start
    body = body[:end]

    # 4. tables of contents anywhere else (PDF text lists every heading), lists of attachments
    i = 0
    while i < len(body):
        k = body[i]
        toc_end = _leader_run(lines, body, i)
        if toc_end > i:
            found.toc += [_toc_entry(lines[body[j]].text) for j in range(i, toc_end)]
            note("I805", k, body[toc_end - 1] + 1, f"table of contents removed ({toc_end - i} entries)")
            for j in body[i:toc_end]:
                keep[j] = False
            i = toc_end
            continue
        if _ATTACHMENT_LIST.match(lines[k].text) and i > 0:
            j = i + 1
            while j < len(body) and j - i < 20 and _is_list_entry(lines[body[j]].text):
                j += 1
            note("I806", k, body[j - 1] + 1, "list of attachments removed")
            for m in body[i:j]:
                keep[m] = False
            i = j
            continue
        i += 1

    kept_idx = [k for k in range(len(lines)) if keep[k]]
    if not kept_idx:  # nothing left: the rules misread this file; keep it whole
        kept_idx = list(range(len(lines)))
        notes = list(norm.notes)
    new_lines = tuple(lines[k] for k in kept_idx)

    # 5. attachments after the body
    attachments = _attachments(new_lines)
    for att in attachments:
        title = f" {att.title}" if att.title else ""
        col = norm.long_line_column(new_lines[att.index].offsets[0])
        notes.append(
            ParseWarning(
                code="I809",
                message=f"attachment {att.label}{title} after the body (line {att.line})",
                line=att.line,
                column=col,
            )
        )

    # 6. the title: the plan's own title line, else the notice's 《…》, else the format's (HTML <title>)
    if found.title is None and found.notice_title:
        found.title, found.title_source = found.notice_title, "notice"
    hint = norm.source.hint("title")
    if found.title is None and hint:
        found.title, found.title_source = _clean_title(hint), "page title"
        found.title_line = _line_with(new_lines, found.title)
    for key, rank in (("issuer", 3), ("issued", 3)):
        value = norm.source.hint(key)
        if value:
            if key == "issuer":
                found.set_issuer(value, rank)
            else:
                found.set_issued(_iso_date(value) or value, rank)
    if found.doc_number is None and norm.source.hint("doc_number"):
        found.doc_number = norm.source.hint("doc_number")

    meta = DocumentMeta(
        title=found.title,
        title_source=found.title_source,
        title_line=found.title_line,
        issuer=found.issuer,
        doc_number=found.doc_number,
        issued=found.issued,
        period=period_of(found.title),
        toc=tuple(e for e in found.toc if e),
        body_line=new_lines[0].no if new_lines else None,
    )
    notes.sort(key=lambda n: (n.line or 0, n.code))
    return dataclasses.replace(norm, lines=new_lines, meta=meta, attachments=attachments, notes=tuple(notes))


# -- front matter -----------------------------------------------------------------------------------


def _front_step(
    lines: list[Line], live: list[int], pos: int, found: _Found, seen_title: bool, seen_notice: bool
) -> tuple[str, int, str] | None:
    """One piece of front matter at ``live[pos]``: (code, end position, description), or None."""
    text = lines[live[pos]].text
    n = len(live)

    def at(p: int) -> str:
        return lines[live[p]].text if p < n else ""

    # web page furniture and metadata lines
    if _META_LINE.match(text) or (_META_PAIR.search(text) and len(text) < 200):
        for key, value in _meta_pairs(text):
            if key == "issuer":
                found.set_issuer(value, 3)
            elif key == "issued":
                found.set_issued(_iso_date(value), 3)
            elif key == "doc_number" and found.doc_number is None:
                found.doc_number = value
            elif key == "title" and found.notice_title is None:
                m = _NOTICE.match(value)
                found.notice_title = _notice_title(m.group("title")) if m else _clean_title(value)
        return "I807", pos + 1, f"page metadata {text[:30]!r} removed"
    if is_web_noise(text):
        end = pos + 1
        while end < n and is_web_noise(at(end)):
            end += 1
        return "I807", end, "web page furniture removed"
    # 附件 above the plan: the plan is the attachment of a notice
    if _ATTACHMENT.match(text) and not seen_title:
        return "I808", pos + 1, f"attachment label {text!r} above the plan's title removed"
    # the document number
    m = _DOC_NUMBER.fullmatch(text)
    if m:
        found.doc_number = found.doc_number or _squash(text)
        return "I802", pos + 1, f"document number {text!r} taken as metadata"
    # the issuing notice
    if not seen_notice and not seen_title:
        notice = _notice_at(lines, live, pos, found)
        if notice is not None:
            return "I801", notice, f"issuing notice removed: {found.notice_title or ''}"
    # the plan's own title (wrapped over up to three lines)
    if not seen_title:
        t = _title_at(lines, live, pos)
        if t is not None:
            end, title = t
            found.title, found.title_source, found.title_line = title, "title line", lines[live[pos]].no
            return "I803", end, f"title {title!r} taken as metadata"
    # the cover: issuer and date lines, 此件公开发布
    if _PUBLIC.match(text):
        return "I804", pos + 1, f"{text!r} removed"
    date = _iso_date(text)
    if date and (seen_title or seen_notice):
        found.set_issued(date, 0)
        return "I804", pos + 1, f"date {text!r} taken as metadata"
    if seen_title and _is_org_line(text):
        end = pos + 1
        while end < n and end - pos < 6 and _is_org_line(at(end)):
            end += 1
        found.set_issuer("、".join(_orgs(lines[live[p]].text) for p in range(pos, end)), 0)
        return "I804", end, f"issuer {found.issuer!r} taken as metadata"
    # a table of contents
    toc = _toc_at(lines, live, pos)
    if toc is not None:
        end, entries = toc
        found.toc += entries
        return "I805", end, f"table of contents removed ({len(entries)} entries)"
    return None


def _notice_at(lines: list[Line], live: list[int], pos: int, found: _Found) -> int | None:
    """The issuing notice starting at ``pos``: where it ends (the plan's own title, or after its date)."""
    n = len(live)
    head = None
    for span in (1, 2, 3):
        if pos + span > n:
            break
        joined = "".join(lines[live[p]].text for p in range(pos, pos + span))
        m = _NOTICE.match(joined)
        if m and len(joined) <= 120:
            head = (span, m)
            break
    if head is None:
        return None
    span, m = head
    title = _notice_title(m.group("title"))
    found.notice_title = title
    issuer = m.group("issuer").strip()
    if issuer:
        found.set_issuer(_orgs(issuer), 2)
    key = match_key(title)
    limit = min(n, pos + span + 80)
    end = None
    for p in range(pos + span, limit):
        for w in (1, 2, 3):
            if p + w <= n and match_key("".join(lines[live[q]].text for q in range(p, p + w))) == key:
                end = p
                break
        if end is not None:
            break
    # the notice's own lines: document number, signature and date
    stop = end if end is not None else limit
    last_date = None
    for p in range(pos + span, stop):
        text = lines[live[p]].text
        dn = _DOC_NUMBER.search(text)
        if dn and found.doc_number is None and len(text) < 40:
            found.doc_number = _squash(dn.group(0))
        date = _iso_date(text)
        if date:
            last_date = p
            found.set_issued(date, 1)
            signers = _signers(lines, live, p, pos + span)
            if signers:
                found.set_issuer(signers[0], 1)
            if end is None:
                break
    if end is not None:
        return end
    if last_date is not None:
        after = last_date + 1
        while after < n and (
            _PUBLIC.match(lines[live[after]].text) or _is_list_entry(lines[live[after]].text)
        ):
            after += 1
        return after
    # no signature found: the notice is its title and the paragraph that hands the plan over
    for p in range(pos + span, min(n, pos + span + 6)):
        if re.search(r"印发给你们|请认真贯彻|遵照执行|认真组织实施|结合实际", lines[live[p]].text):
            return p + 1
    return pos + span


def _title_at(lines: list[Line], live: list[int], pos: int) -> tuple[int, str] | None:
    """The plan's title at ``pos``: one to three short lines ending in 规划/纲要/计划/方案 …, optionally
    followed by a bracketed period line （2021-2025 年）."""
    n = len(live)
    parts: list[str] = []
    for w in range(3):
        if pos + w >= n:
            return None
        text = lines[live[pos + w]].text
        if not _title_piece(text, first=w == 0):
            return None
        parts.append(text)
        joined = "".join(parts)
        if _TITLE_END.search(_squash(joined)):
            end = pos + w + 1
            if end < n and _BRACKET_LINE.match(lines[live[end]].text) and period_of(lines[live[end]].text):
                parts.append(lines[live[end]].text)
                end += 1
            return end, _clean_title(" ".join(parts))
    return None


def _title_piece(text: str, first: bool) -> bool:
    if not 1 <= len(text) <= 44 or _SENTENCE.search(text) or "，" in text or text.endswith(("：", ":", "、")):
        return False
    if _LEADER.search(text) or _DOC_NUMBER.search(text) or _iso_date(text):
        return False
    return not (first and _MARKER.match(text))


def _toc_at(lines: list[Line], live: list[int], pos: int) -> tuple[int, list[str]] | None:
    """A table of contents at ``pos``: 目录 and its entries, or a run of dot-leader entries."""
    n = len(live)

    def text(p: int) -> str:
        return lines[live[p]].text

    start = pos
    if match_key(text(pos)) in _TOC_HEAD:
        start = pos + 1
    elif not (_LEADER.search(text(pos)) and pos + 1 < n and _LEADER.search(text(pos + 1))):
        return None
    if start >= n:
        return None
    leaders = bool(_LEADER.search(text(start)) or _SPACED_PAGE.search(text(start)))
    entries: list[str] = []
    first_key = None
    p = start
    while p < n:
        t = text(p)
        if _LEADER.search(t) or (leaders and _SPACED_PAGE.search(t) and len(t) < 60):
            entries.append(_toc_entry(t))
            p += 1
            continue
        nxt = text(p + 1) if p + 1 < n else ""
        if leaders:
            # an entry wrapped before its leader: "（三）统筹推进…设施" / "建设…………12"
            if _is_heading_like(t) and _LEADER.search(nxt) and not _MARKER.match(nxt):
                entries.append(_toc_entry(t + nxt))
                p += 2
                continue
            break
        # a TOC without leaders (a list of headings): it ends where prose begins or the first entry repeats
        if not _is_heading_like(t):
            break
        key = _heading_key(t)
        if first_key is None:
            first_key = key
        elif key == first_key:
            break
        entries.append(t)
        p += 1
    if not entries or (not leaders and len(entries) < 3):
        return None
    return p, entries


def _leader_run(lines: list[Line], body: list[int], i: int) -> int:
    """End of a run of TOC entries (dot leaders and page numbers) starting at ``body[i]``, or ``i``."""
    j = i
    while j < len(body) and _LEADER.search(lines[body[j]].text):
        j += 1
    if j - i >= 2 or (j - i == 1 and _MARKER.match(lines[body[i]].text)):
        return j
    return i


def _toc_entry(text: str) -> str:
    return re.sub(r"(?:[.．·•…⋯]\s*){2,}\s*\d{1,3}$|\s{3,}\d{1,3}$", "", text).strip()


def is_closing_line(text: str) -> bool:
    """A short line that may stand last without a full stop: an organisation, a date, a number, 完/全文完."""
    t = text.strip()
    return (
        _is_org_line(t)
        or _iso_date(t) is not None
        or re.fullmatch(r"[\d.,%％\s*]+", t) is not None
        or re.fullmatch(r"[（(【\[]?(?:完|全文完|此页无正文|以下无正文)[）)】\]]?", t) is not None
    )


def top_marker(entry: str) -> str | None:
    """The number of a TOC entry of the outline's top level (第X篇, 第X章, 一、), else None.

    >>> top_marker("五、保障措施"), top_marker("第十二章 畅通国内大循环"), top_marker("（一）指导思想")
    ('五、', '第十二章', None)
    """
    m = _TOP_MARKER.match(entry)
    return m.group(0).strip() if m else None


def _is_heading_like(text: str) -> bool:
    return bool(_MARKER.match(text)) and len(text) <= 60 and not _SENTENCE.search(text)


def _heading_key(text: str) -> str:
    return match_key(_toc_entry(text))


# -- back matter ------------------------------------------------------------------------------------


def _back_step(lines: list[Line], body: list[int], end: int, found: _Found) -> tuple[int, str] | None:
    """Back matter ending at ``body[end - 1]``: (start, description), or None."""
    k = body[end - 1]
    text = lines[k].text
    if is_web_noise(text) or _META_LINE.match(text):
        return end - 1, "web page furniture removed"
    m = _COLOPHON_DATE.match(text)
    if m:
        found.set_issued(_iso_date(f"{m.group(2)}年{m.group(3)}月{m.group(4)}日"), 4)
        return end - 1, f"colophon {text!r} removed"
    if _COLOPHON.match(text) or _PUBLIC.match(text):
        return end - 1, f"colophon {text!r} removed"
    date = _iso_date(text)
    if date:
        start = end - 1
        signers = _signers(lines, body, start, 0)
        if signers:
            start -= signers[1]
            found.set_issuer(signers[0], 4)
        found.set_issued(date, 4)
        return start, f"signature and date {text!r} removed"
    return None


# -- attachments and duplicates ---------------------------------------------------------------------


def _attachments(lines: tuple[Line, ...]) -> tuple[Attachment, ...]:
    """附件 N / 附表 lines after the body's first heading, with the title line that follows them."""
    out: list[Attachment] = []
    seen_heading = False
    for i, line in enumerate(lines):
        text = line.text
        if not seen_heading:
            seen_heading = bool(_MARKER.match(text))
            continue
        m = _ATTACHMENT_TITLED.match(text)
        if m and not _SENTENCE.search(m.group("title")):
            out.append(Attachment(i, line.no, _squash(m.group("label")), m.group("title").strip()))
            continue
        m = _ATTACHMENT.match(text)
        if m:
            nxt = lines[i + 1].text if i + 1 < len(lines) else ""
            title = nxt if nxt and _title_piece(nxt, first=True) else None
            out.append(Attachment(i, line.no, _squash(m.group("label")), title))
    return tuple(out)


def _duplicate(lines: list[Line]) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """A stretch of lines present twice, one copy after the other (the body of a page and its print
    view): ((start, end), (start, end)) of the two copies, or None. A copy is at least five lines and 200
    characters long and holds running text, so repeated headings (a TOC, a box header repeated after a
    page break) are not copies."""
    keys = [match_key(line.text) for line in lines]
    where: dict[str, list[int]] = {}
    for i, k in enumerate(keys):
        if len(k) >= 12:
            where.setdefault(k, []).append(i)
    for i, k in enumerate(keys):
        if len(k) < 12:
            continue
        for p in where[k]:
            if p <= i:
                continue
            run = 0
            while i + run < p and p + run < len(keys) and keys[i + run] == keys[p + run]:
                run += 1
            chars = sum(len(keys[i + t]) for t in range(run))
            prose = any(_SENTENCE.search(lines[i + t].text) for t in range(run))
            if run >= 5 and chars >= 200 and prose:
                return (i, i + run), (p, p + run)
        if i > 400:
            break  # a second copy starts with the first's beginning: look for it near the top only
    return None


# -- small recognisers ------------------------------------------------------------------------------


def is_web_noise(text: str) -> bool:
    """A line of a web page's furniture: navigation, buttons, footers, disclaimers, links.

    >>> is_web_noise("当前位置：首页 > 政策"), is_web_noise("【字体：大 中 小】")
    (True, True)
    >>> is_web_noise("加快网络建设。"), is_web_noise("（三）加强技术支持"), is_web_noise("技术支持：某公司")
    (False, False, True)
    """
    return len(text) <= 120 and bool(_WEB_NOISE.search(text) or _BREADCRUMB.match(text))


def _is_list_entry(text: str) -> bool:
    return bool(_LIST_ITEM.match(text)) and len(text) <= 50 and not _SENTENCE.search(text)


def _is_org_line(text: str) -> bool:
    """A line of organisation names: 工业和信息化部 / 湖北省文物局 / 工业和信息化部 民政部."""
    if not 2 <= len(text) <= 60 or _SENTENCE.search(text) or _MARKER.match(text):
        return False
    parts = [p for p in re.split(r"[\s、，,]+", text) if p]
    return bool(parts) and all(
        2 <= len(p) <= 30 and re.fullmatch(r"[\u4e00-\u9fff（）()]+", p) and _ORG_SUFFIX.search(p)
        for p in parts
    )


def _signers(lines: list[Line], idx: list[int], p: int, floor: int) -> tuple[str, int] | None:
    """The organisation lines right above position ``p`` (a date line), at most six, not above ``floor``:
    their names joined with 、 and how many lines they are."""
    q = p
    while q > floor and p - q < 6 and _is_org_line(lines[idx[q - 1]].text):
        q -= 1
    if q == p:
        return None
    return "、".join(_orgs(lines[idx[k]].text) for k in range(q, p)), p - q


def _orgs(text: str) -> str:
    return "、".join(p for p in re.split(r"[\s、，,]+", text.strip()) if p)


def _meta_pairs(text: str) -> list[tuple[str, str]]:
    """(field, value) pairs of a metadata line: ``发文机关：国务院  成文日期：2021年12月12日``."""
    squashed = re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff][:：\u4e00-\u9fff]{0,4}[:：])", "", text)
    marks = list(_META_PAIR.finditer(squashed))
    out = []
    for m, nxt in zip(marks, [*marks[1:], None], strict=False):
        value = squashed[m.end() : nxt.start() if nxt else len(squashed)].strip()
        field = _META_KEYS.get(m.group(1))
        if field and value:
            out.append((field, value))
    return out


def _iso_date(text: str | None) -> str | None:
    """An ISO date (2021-12-12 or 2021-12) from a date line: 2021年12月12日, 二〇二一年十二月, 2021-12-12.

    >>> _iso_date("2021 年 10 月 27 日"), _iso_date("二〇二一年十二月"), _iso_date("（2017年7月8日）")
    ('2021-10-27', '2021-12', '2017-07-08')
    """
    if not text:
        return None
    t = text.strip()
    m = _DATE.match(t)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), m.group(3)
        if not 1 <= mo <= 12:
            return None
        return f"{y:04d}-{mo:02d}" + (f"-{int(d):02d}" if d else "")
    m = _CN_DATE.match(t)
    if m:
        digits = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0}
        y = int("".join(str(digits[c]) for c in m.group(1)))
        mo = _cn_small(m.group(2))
        d = _cn_small(m.group(3)) if m.group(3) else None
        if not 1 <= mo <= 12:
            return None
        return f"{y:04d}-{mo:02d}" + (f"-{d:02d}" if d else "")
    m = re.fullmatch(r"((?:19|20)\d{2})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?", t)
    if m:
        return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}" + (
            f"-{int(m.group(3)):02d}" if m.group(3) else ""
        )
    return None


def _cn_small(s: str) -> int:
    """一 … 三十一."""
    digits = {c: i for i, c in enumerate("〇一二三四五六七八九")}
    if "十" not in s:
        return digits.get(s, 0)
    tens, _, ones = s.partition("十")
    return (digits.get(tens, 1) if tens else 1) * 10 + (digits.get(ones, 0) if ones else 0)


def _squash(text: str) -> str:
    """Spaces next to a Chinese character or bracket removed (PDF text puts spaces around numbers)."""
    return re.sub(
        r"\s+(?=[\u4e00-\u9fff（）《》“”〔〕])|(?<=[\u4e00-\u9fff（）《》“”〔〕])\s+", "", text
    ).strip()


def _clean_title(text: str) -> str:
    t = _squash(text.strip())
    if t.startswith("《") and t.endswith("》") and t.count("《") == 1:
        t = t[1:-1]
    return t


def _notice_title(text: str) -> str:
    """The plan's title inside a notice's title: 《…》 if present, else the words between 印发 and 的通知."""
    m = re.search(r"《([^《》]+)》", text)
    return _clean_title(m.group(1) if m else text)


def _line_with(lines: tuple[Line, ...], title: str) -> int | None:
    key = match_key(title)
    for line in lines[:20]:
        if key and key in match_key(line.text):
            return line.no
    return None
