"""Response models: every item carries eid, labels, title and its source span, so a client can cite it."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


class Problem(BaseModel):
    """An error (RFC 9457 problem+json) with a stable ``code``; some carry more members: ``candidates``,
    ``suggestions``, ``errors``, ``valid``, ``setting``."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "type": "about:blank",
                    "title": "Not Found",
                    "status": 404,
                    "detail": "no goal '数字政务' in plan 'informatization-14fyp'",
                    "code": "unknown_reference",
                    "instance": "/goals/数字政务/tasks",
                    "suggestions": [],
                }
            ]
        },
    )

    type: str
    title: str
    status: int
    detail: str
    code: str
    instance: str | None = None


class Span(BaseModel):
    """Where the item stands in the plan's original file (character offsets, 1-based lines)."""

    char_start: int | None = None
    char_end: int | None = None
    line_start: int | None = None
    line_end: int | None = None


class Item(BaseModel):
    """One node (or one row about a node): its identity, its source and the query's other columns."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "eid": "informatization-14fyp/task-7",
                    "labels": ["Task"],
                    "title": "打造协同高效的数字政府服务体系",
                    "span": {"char_start": 22251, "char_end": 24370, "line_start": 1685, "line_end": 1835},
                    "score": 0.3128,
                    "rank": 1,
                }
            ]
        },
    )

    eid: str
    labels: list[str]
    title: str | None = None
    span: Span | None = None


class Page(BaseModel):
    """A page of items: ``total`` counts all rows the query returned (at most its row cap)."""

    items: list[Item]
    total: int
    limit: int
    offset: int
    truncated: bool = Field(description="the query hit its row cap: more rows exist than were returned")


class Rows(BaseModel):
    """Rows of a canned or ad-hoc query."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "query": "goal_tasks",
                    "columns": ["eid", "title", "score"],
                    "rows": [["informatization-14fyp/task-7", "打造协同高效的数字政府服务体系", 0.3128]],
                    "row_count": 1,
                    "truncated": False,
                }
            ]
        }
    )

    query: str | None = None
    columns: list[str]
    rows: list[list[Any]]
    row_count: int
    truncated: bool


class Served(Item):
    """One element serving (or measuring) the goal, with the link's own properties."""

    score: float | None = Field(None, description="the link's score (1.0: a curated link)")
    rank: int | None = Field(None, description="1: the goal is this element's best goal")
    method: str | None = Field(None, description="how the link was found (the signals used, or curated)")
    source: str | None = Field(None, description="inferred, or curated (a reader's link in links.yaml)")
    evidence: str | None = Field(
        None, description="shared terms | the element's sentence | the goal's sentence"
    )
    terms: list[str] | None = Field(None, description="the shared key terms")
    confidence: str | None = Field(
        None,
        description="inferred SERVES: high, or low where the runner-up goal scores within the fitted "
        "margin of the best (the inference is unsure); null on a curated link",
    )


class GoalTasks(BaseModel):
    """The tasks serving a goal, ranked by score, each with its evidence."""

    goal: Item
    items: list[Served]


class NodeView(BaseModel):
    node: Item
    neighbours: list[Item]


class QueryParam(BaseModel):
    name: str
    type: Literal["STRING", "INT64", "DOUBLE"]
    description: str
    description_zh: str = Field(description="the description in Chinese")
    example: str | None = Field(description="a value to try (the query header's example), or null")


class QueryInfo(BaseModel):
    name: str
    title: str
    description: str
    title_zh: str = Field(description="the title in Chinese")
    description_zh: str = Field(description="the description in Chinese")
    params: list[QueryParam]
    max_rows: int


class MessageCode(BaseModel):
    """What a message code means and what to do about it (``plangraph explain``)."""

    code: str = Field(description="E… an error, W… a warning, I… a note", examples=["W301"])
    level: Literal["error", "warning", "note"]
    what: str = Field(description="what a message of this code means")
    what_zh: str = Field(description="the same in Chinese")
    do: str = Field(description="what to do about it (empty for a note that needs nothing)")
    do_zh: str = Field(description="the same in Chinese")


class CypherRequest(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"query": "MATCH (t:Task) RETURN t.eid, t.title ORDER BY t.eid LIMIT 3", "params": {}}
            ]
        }
    )

    query: str = Field(min_length=1, max_length=10_000)
    params: dict[str, str | int | float | bool | None] = Field(default_factory=dict, max_length=100)

    @field_validator("params")
    @classmethod
    def _int64(cls, params: dict[str, Any]) -> dict[str, Any]:
        """Both engines take 64-bit integers; a larger one would fail in the driver, not in the query."""
        for name, value in params.items():
            if isinstance(value, int) and not isinstance(value, bool) and not INT64_MIN <= value <= INT64_MAX:
                raise ValueError(f"parameter {name!r} is outside the 64-bit integer range")
        return params


class PlanUpload(BaseModel):
    """A new plan (or a new version): its text and metadata."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "plan_id": "my-plan",
                    "title": "某某规划",
                    "text": "一、总体要求\n（一）发展目标\n…",
                    "format": "text",
                }
            ]
        }
    )

    plan_id: str = Field(pattern=r"^[0-9A-Za-z_\-\u4e00-\u9fff]{1,64}$")
    text: str = Field(min_length=1)
    title: str | None = None
    issuer: str | None = None
    issued: str | None = None
    format: str = Field(default="text", pattern="^(text|html)$")


class PlanLoaded(BaseModel):
    plan_id: str
    source_sha256: str
    nodes: int
    relationships: int
    warnings: list[str]


class Health(BaseModel):
    status: str
    store: str
    plans: list[str]


class Version(BaseModel):
    version: str
    store: str
    plans: list[dict[str, Any]]


class PlanComparison(BaseModel):
    """Two plans side by side: what they share and how they refer to each other (each part the rows of a
    canned query, so the same answer comes from ``plangraph query``)."""

    a: dict[str, Any]
    b: dict[str, Any]
    shared_entities: Rows
    task_pairs: Rows
    shared_metrics: Rows
    citations: Rows
