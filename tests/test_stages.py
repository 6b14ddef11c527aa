"""Table-driven tests of each ingest stage."""

from __future__ import annotations

import pytest

from plangraph.ingest.classify import first_sentence, lead_sentence
from plangraph.ingest.errors import BinarySource, EmptySource, EncodingError
from plangraph.ingest.formats.html import html_to_text
from plangraph.ingest.formats.text import decode
from plangraph.ingest.ids import eid_segment
from plangraph.ingest.load import source_from_bytes
from plangraph.ingest.meanings import meaning_of
from plangraph.ingest.models import Kind
from plangraph.ingest.normalize import fold, match_key, normalize
from plangraph.ingest.numerals import cn_to_int
from plangraph.ingest.segment import MARKERS, Role, find_marker, segment

# -- load ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("一、总体要求".encode(), "utf-8"),
        (b"\xef\xbb\xbf" + "一、总体要求".encode(), "utf-8-sig"),
        ("一、总体要求，推进数字化发展".encode("gbk"), "gb18030"),
        ("一、总体要求，推进数字化发展".encode("gb18030"), "gb18030"),
    ],
)
def test_decode(data: bytes, encoding: str) -> None:
    text, enc = decode(data)
    assert enc == encoding and text.endswith(("总体要求", "数字化发展"))


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", EmptySource),
        (b"  \n\n ", EmptySource),
        (b"\x7fELF\x00\x01\x02", BinarySource),
        (
            "一、总体要求，推进数字化发展和网络强国建设".encode()
            + "二、主要任务推进数字化发展和网络强国建设".encode("gbk"),
            EncodingError,
        ),
    ],
)
def test_decode_rejects(data: bytes, error: type[Exception]) -> None:
    with pytest.raises(error) as info:
        decode(data, "x.txt")
    assert "x.txt" in str(info.value)


def test_decode_mixed_names_line() -> None:
    data = "一、总体要求\n推进数字化发展\n".encode() + "二、主要任务推进数字化发展和网络强国建设".encode(
        "gbk"
    )
    with pytest.raises(EncodingError) as info:
        decode(data, "mixed.txt")
    assert info.value.line == 3


def test_html_to_text_maps_offsets() -> None:
    html = "<html><body><h1>一、总体要求</h1><p>推进&amp;发展&nbsp;。</p><table><tr><td>A</td><td>B</td></tr></table>"
    text, offs = html_to_text(html)
    assert "一、总体要求 \n推进&发展\xa0。 \nA\tB\t" in text
    for i, ch in enumerate(text):
        if ch not in " \n\t&\xa0":
            assert html[offs[i]] == ch


def test_html_script_and_style_skipped() -> None:
    text, _ = html_to_text("<head><style>p{}</style></head><script>var a='一、';</script><p>正文</p>")
    assert "var" not in text and "p{}" not in text and "正文" in text


# -- normalize -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "folded"), [("配臵资源", "配置资源"), ("\u2f00体化", "一体化"), ("5G网络", "5G网络")]
)
def test_fold(raw: str, folded: str) -> None:
    assert fold(raw) == folded and len(fold(raw)) == len(raw)


def test_match_key_folds_width() -> None:
    assert match_key("５Ｇ 网络（ＩＰｖ６）") == match_key("5G网络(IPv6)")


def test_normalize_page_numbers_and_offsets() -> None:
    raw = "第一行文字，继续\n\n \n\n12 \n\n接着写。 \n\n- 3 -\n1 \n表格行\n"
    src = source_from_bytes(raw.encode(), "p.txt")
    norm = normalize(src)
    assert [d.text for d in norm.dropped] == ["12", "- 3 -"]
    texts = [line.text for line in norm.lines]
    assert "1" in texts  # a bare number right after content is kept (a table row number)
    for line in norm.lines:
        assert src.original[line.offsets[0] : line.offsets[-1]] == line.text
    assert norm.lines[1].trailing_space and norm.lines[1].no == 7


# -- segment ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "marker", "number"),
    [
        ("一、现状与形势", "cn", 1),
        ("十二、保障措施", "cn", 12),
        ("（三）发展目标", "paren_cn", 3),
        ("(三)发展目标", "paren_cn", 3),
        ("1.加快 5G 网络建设。", "arabic", 1),
        ("1．加快网络建设", "arabic", 1),
        ("2. 培育生态", "arabic", 2),
        ("（2）推进示范", "paren_arabic", 2),
        ("③开展试点", "circled", 3),
        ("4)完善机制", "arabic_paren", 4),
        ("第三章 主要任务", "zhang", 3),
        ("第一节 数字基础设施", "jie", 1),
        ("第二篇 创新驱动", "pian", 2),
        ("专栏 12  智慧公安建设提升工程", "box", 12),
        ("01 加快数字化转型", "arabic0", 1),
        ("——数字经济迈向全面扩展期", "dash", 0),
        ("7.8%，数字产业化基础更加坚实", None, None),
        ("2025 年，全民数字技能教育培训广泛普及", None, None),
        ("3.5* 5.8 预期性", None, None),
        ("10 关键业务环节", None, None),
        ("1000M 及以上速率的光纤接入用户", None, None),
    ],
)
def test_find_marker(text: str, marker: str | None, number: int | None) -> None:
    found = find_marker(text)
    if marker is None:
        assert found is None
    else:
        assert found is not None and (found[0].type, found[0].number) == (marker, number)


#: what each numbering marker does in the outline: a new marker type needs a row here and in the table above
ROLES = {
    "pian": Role.OUTLINE,
    "zhang": Role.OUTLINE,
    "jie": Role.OUTLINE,
    "box": Role.BOX,
    "cn": Role.OUTLINE,
    "paren_cn": Role.OUTLINE,
    "arabic": Role.LIST,
    "arabic0": Role.LIST,
    "paren_arabic": Role.LIST,
    "circled": Role.LIST,
    "arabic_paren": Role.LIST,
    "attachment": Role.ATTACHMENT,
    "dash": Role.DASH,
}


def test_every_marker_type_has_its_role_and_a_row() -> None:
    assert {m.name: m.role for m in MARKERS} == ROLES
    rows = {row[1] for row in test_find_marker.pytestmark[0].args[1]}  # type: ignore[attr-defined]
    found_in_text = {m.name for m in MARKERS if m.role is not Role.ATTACHMENT}  # 附件 is set by a stage
    assert found_in_text <= rows


def _blocks(raw: str) -> list[str]:
    return [b.text for b in segment(normalize(source_from_bytes(raw.encode(), "s.txt")))]


def test_segment_joins_wrapped_lines_without_spaces() -> None:
    raw = "建设泛在智能的网络连接设施。加快 5G \n\n商用网络规模建设，数字经济核心产业增加值达到\n\n7.8%，推进信息化。 \n\n"
    assert _blocks(raw) == [
        "建设泛在智能的网络连接设施。加快 5G 商用网络规模建设，数字经济核心产业增加值达到7.8%，推进信息化。"
    ]


def test_segment_heading_lines_and_items() -> None:
    raw = "    一、总体要求\n（一）基本原则\n坚持系统推进。统筹国内国际两个大局，坚持全国一盘棋，更好发挥中央、地方和各方面积极性。\n1.加快网络建设。科学统筹网络布局。\n2.培育应用生态。加快融合创新。\n"
    starts = ["一、总体要求", "（一）基本原则", "坚持系统推进", "1.加快网络", "2.培育应用"]
    blocks = _blocks(raw)
    assert len(blocks) == len(starts) and all(b.startswith(s) for b, s in zip(blocks, starts, strict=True))


# -- classify --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        ("坚持党的全面领导。坚持和完善党领导信息化发展的体制机制。", "坚持党的全面领导"),
        ("深化创新驱动，引领更高质量发展。深化基础研究。", "深化创新驱动，引领更高质量发展"),
        ("推进“一网通办”让群众办事更便捷。优化全国一体化政务服务平台。", "推进“一网通办”让群众办事更便捷"),
        ("到 2025 年，数字中国建设取得决定性进展。信息化发展水平大幅跃升。", None),
        ("“十四五”时期，信息化进入新阶段。习近平总书记强调。", None),
        (
            "坚持扩大内需战略基点，充分发挥数据作为新生产要素的关键作用，以数据资源开发利用为主线。其后。",
            None,
        ),
        ("建设泛在智能的网络连接设施。", None),  # nothing follows: not a lead
    ],
)
def test_lead_sentence(text: str, lead: str | None) -> None:
    assert lead_sentence(text) == lead


def test_first_sentence() -> None:
    assert first_sentence("加快 5G 网络建设。科学统筹") == "加快 5G 网络建设"
    assert first_sentence("5G 创新应用工程") == "5G 创新应用工程"


@pytest.mark.parametrize(
    ("title", "meaning"),
    [
        ("（一）发展现状", "Achievement"),
        ("一、发展基础", "Achievement"),
        ("（二）基本原则", "Principle"),
        ("（三）发展目标", "Goal"),
        ("第二章 主要目标", "Goal"),
        ("三、主攻方向", "Direction"),
        ("四、重大任务和重点工程", "Task"),
        ("第三章 主要任务", "Task"),
        ("五、优先行动", "Action"),
        ("六、组织实施", "Measure"),
        ("七、保障措施", "Measure"),
        ("（二）发展形势", "Context"),
        ("（一）建设泛在智联的数字基础设施体系", None),
    ],
)
def test_meanings(title: str, meaning: str | None) -> None:
    m = meaning_of(title)
    assert (m.name if m else None) == meaning


# -- ids and numerals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "n", "seg"),
    [
        (Kind.TASK, 4, "task-4"),
        (Kind.SUBTASK, 2, "subtask-2"),
        (Kind.COLUMN, 9, "column-9"),
        (Kind.COLUMN_ITEM, 3, "item-3"),
        (Kind.ACTION, 7, "action-7"),
        (Kind.INDICATOR, 12, "indicator-12"),
        (Kind.PART, 1, "part-1"),
        (Kind.SECTION, 3, "section-3"),
    ],
)
def test_eid_segments(kind: Kind, n: int, seg: str) -> None:
    assert eid_segment(kind, n) == seg


@pytest.mark.parametrize(
    ("cn", "n"), [("一", 1), ("十", 10), ("十七", 17), ("二十", 20), ("三十五", 35), ("⑦", 7)]
)
def test_numerals(cn: str, n: int) -> None:
    assert cn_to_int(cn) == n
