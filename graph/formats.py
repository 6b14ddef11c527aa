"""The one list of export formats (graph/export.py renders them): light, so that the command's options and
the API's parameters are typed from it without loading networkx at start-up."""

from __future__ import annotations

from enum import StrEnum

#: the one list of export formats: each with its media type and file suffix as a download (CSV: a zip)
MEDIA: dict[str, tuple[str, str]] = {
    "json": ("application/json", "json"),
    "graphml": ("application/graphml+xml", "graphml"),
    "gexf": ("application/gexf+xml", "gexf"),
    "csv": ("application/zip", "zip"),
    "cypher": ("application/x-cypher-query; charset=utf-8", "cypher"),
    "dot": ("text/vnd.graphviz; charset=utf-8", "dot"),
    "mermaid": ("text/plain; charset=utf-8", "mmd"),
}
FORMATS = tuple(MEDIA)
#: the formats as a type for options and query parameters (an unknown one is refused by the parser)
ExportFormat = StrEnum("ExportFormat", {f: f for f in FORMATS})  # type: ignore[misc]
DEFAULT_FORMAT = ExportFormat("json")

__all__ = ["DEFAULT_FORMAT", "FORMATS", "MEDIA", "ExportFormat"]
