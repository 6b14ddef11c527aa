"""Typed, frozen models of a parsed plan: provenance, elements and the whole document.

Every element carries a :class:`SourceSpan` into the *original* file (character offsets into the
decoded text, 0-based, end exclusive; 1-based line numbers), so any fact can be cited.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SourceSpan(Frozen):
    """A place in the original file: ``text[char_start:char_end]`` and its lines."""

    char_start: int = Field(ge=0)
    char_end: int = Field(ge=0)
    line_start: int = Field(ge=1)
    line_end: int = Field(ge=1)
    page: int | None = Field(default=None, ge=1)  # where the source has pages (PDF, form-fed text)
    page_end: int | None = Field(default=None, ge=1)


class Kind(StrEnum):
    """What an element of a plan is; the graph uses these names as labels."""

    PLAN = "Plan"
    PART = "Part"
    SECTION = "Section"
    ACHIEVEMENT = "Achievement"
    PRINCIPLE = "Principle"
    GOAL = "Goal"
    INDICATOR = "Indicator"
    DIRECTION = "Direction"
    TASK = "Task"
    SUBTASK = "Subtask"
    COLUMN = "Column"
    COLUMN_ITEM = "ColumnItem"
    ACTION = "Action"
    ACTION_ITEM = "ActionItem"
    TARGET = "Target"
    MEASURE = "Measure"
    TABLE = "Table"


class EntityKind(StrEnum):
    BODY = "Body"
    TECHNOLOGY = "Technology"
    REGION = "Region"
    DOCUMENT = "Document"
    INITIATIVE = "Initiative"


class Role(StrEnum):
    LEAD = "lead"
    COORDINATE = "coordinate"
    IMPLEMENT = "implement"
    SUPERVISE = "supervise"


class Mention(Frozen):
    """One occurrence of a named entity in an element's own text."""

    kind: EntityKind
    name: str  # canonical name (aliases folded)
    surface: str  # the text as written (normalised)
    span: SourceSpan


class Responsibility(Frozen):
    """A body made responsible for the element it is stated in, with the sentence as evidence."""

    body: str  # canonical body name
    role: Role
    cue: str  # the pattern that fired, e.g. "牵头"
    evidence: str  # the sentence
    span: SourceSpan


class IndicatorValues(Frozen):
    category: str | None
    unit: str | None
    baseline_value: str | None
    baseline_year: int | None
    target_value: str | None
    target_year: int | None
    attribute: str | None  # 预期性 / 约束性
    baseline_number: float | None = None  # the value as a number, where it holds one (3.5* → 3.5)
    target_number: float | None = None  # 下降30%以上 → 30; None for word targets (零发生) and ranges
    cumulative: bool = False
    note: str | None = None
    # several target-year columns (2023 / 2024 / 2025): (year, value as written) for each, in column
    # order; target_year / target_value are the last of them. Empty with a single target column.
    targets: tuple[tuple[int, str], ...] = ()
    # a review table (规划目标 against 实现情况): target_* is the planned value, actual_* what was reached
    actual_value: str | None = None
    actual_year: int | None = None
    actual_number: float | None = None


class TableValues(Frozen):
    """A table that is not an indicator table (an investment table, a 表N of other content), kept as it
    stands: its caption, header cells and rows of cells."""

    caption: str | None = None
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    note: str | None = None  # the notes under the table (注：…)


class Element(Frozen):
    """A node of the document tree (part, section, task, 专栏, item, indicator …)."""

    kind: Kind
    eid: str
    title: str
    ordinal: int | None = None
    text: str = ""
    lead: str | None = None  # the paragraph's lead sentence, when it has one
    span: SourceSpan
    indicator: IndicatorValues | None = None
    table: TableValues | None = None  # for a Table: its caption, header and rows
    year: int | None = None  # for Target
    meaning: str | None = None  # classification of a Part/Section title (e.g. "Task")
    meaning_source: str | None = None  # how the meaning was decided: title, position, content, metadata
    marker: str | None = None  # the numbering as written (“（三）”, “1.”, “——”); None for unnumbered leads
    follows: str | None = None  # for a 专栏: the eid of the element it follows (e.g. a subtask)
    children: tuple[Element, ...] = ()
    mentions: tuple[Mention, ...] = ()
    responsibilities: tuple[Responsibility, ...] = ()

    def walk(self) -> list[Element]:
        """This element and all its descendants, in document order."""
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


class ParseWarning(Frozen):
    code: str
    message: str
    line: int | None = None
    page: int | None = None
    column: int | None = None  # where the source is one long line (one-line HTML)

    def __str__(self) -> str:
        where = []
        if self.page is not None:
            where.append(f"page {self.page}")
        if self.line is not None:
            where.append(f"line {self.line}" + (f", column {self.column}" if self.column is not None else ""))
        return f"[{self.code}] {', '.join(where) + ': ' if where else ''}{self.message}"


class PlanMeta(Frozen):
    id: str
    title: str | None = None
    title_en: str | None = None
    issuer: str | None = None
    issued: str | None = None
    doc_number: str | None = None  # 发文字号, e.g. 国发〔2021〕29号
    period: tuple[int, int] | None = None
    language: str = "zh-Hans"
    note: str | None = None


class SourceInfo(Frozen):
    path: str  # the file name only, so output is the same on every machine
    sha256: str
    encoding: str
    format: str  # text, html, markdown, pdf, docx
    pages: int | None = None  # page count where the source has pages
    chars: int
    lines: int
    #: the original text every span indexes (the decoded file; PDF and Word: the text extracted from it),
    #: kept for the store (the explorer shows spans in it); left out of the document's JSON
    text: str = Field(default="", exclude=True, repr=False)


class PlanDocument(Frozen):
    """The parsed plan: metadata, source fingerprint, the element tree and warnings."""

    plan: PlanMeta
    source: SourceInfo
    root: Element  # kind PLAN; its children are the plan's parts
    warnings: tuple[ParseWarning, ...] = ()
    complete: bool = True
    abridged: bool = False  # the text says （本文有删减）

    def elements(self) -> list[Element]:
        return self.root.walk()[1:]

    def by_kind(self, kind: Kind) -> list[Element]:
        return [e for e in self.elements() if e.kind == kind]
