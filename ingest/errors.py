"""Typed parse errors: a code, a message, and the place (file, line) where the problem is."""

from __future__ import annotations


class PlanError(Exception):
    """Bad input: carries a code and the place, and prints as ``[E010] file:line: message``."""

    def __init__(self, code: str, message: str, path: str | None = None, line: int | None = None):
        self.code = code
        self.message = message
        self.path = path
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path + (f":{self.line}" if self.line is not None else "") + ": "
        elif self.line is not None:
            where = f"line {self.line}: "
        return f"[{self.code}] {where}{self.message}"


class EmptySource(PlanError):
    """E001: the file holds no text."""


class BinarySource(PlanError):
    """E002: the file is not text (NUL bytes or undecodable)."""


class EncodingError(PlanError):
    """E003: no supported encoding decodes the file consistently."""


class NotAPlan(PlanError):
    """E010: no structure of a plan was recognised."""


class IncompletePlan(PlanError):
    """E011: parts of a plan are missing (a truncated file); ``--partial`` returns what was found."""

    def __init__(
        self,
        code: str,
        message: str,
        path: str | None = None,
        line: int | None = None,
        partial: object | None = None,
    ):
        super().__init__(code, message, path, line)
        self.partial = partial


class MetadataError(PlanError):
    """E020: plan.yaml is unreadable or has wrong fields."""


class DocumentFormatError(PlanError):
    """E007: not a readable document of its format (not a Word package, a legacy .doc, damaged)."""


class DecompressionBomb(PlanError):
    """E008: the file would expand beyond the size limit when unpacked (a zip bomb)."""


class PdfError(PlanError):
    """A PDF that cannot be read: encrypted (E004), damaged or truncated (E005), without a text layer
    (E006, a scan), or too large to parse (E009)."""


class SourceTooLarge(PlanError):
    """E009: the file is larger than any plan (refused before it is read)."""
