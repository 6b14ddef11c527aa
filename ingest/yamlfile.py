"""Reading YAML, the one place: the project's curated data and the files users write.

Both are read with libyaml's safe parser where PyYAML was built with it (the same documents as
``yaml.safe_load``, about ten times faster: the lexicons' reading was a tenth of a parse's start-up).

- :func:`read_curated`: the project's own data (the lexicons, the body rules, the metric mapping). A broken
  file there is a bug of the project, so its error keeps its traceback.
- :func:`read_user_yaml`: a file a user wrote (``plan.yaml``, ``links.yaml``, a gold mapping). An unreadable
  or invalid file is the user's error: the caller's error class, with the file, the line and the problem in
  one line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse(text: str) -> Any:
    return yaml.load(text, Loader=_LOADER)  # a safe loader


def read_curated(path: Path) -> Any:
    """A curated data file of the project: YAML, safely loaded."""
    return _parse(path.read_text(encoding="utf-8"))


#: how a caller makes its own error from a message and the line it concerns (None: the whole file)
MakeError = Callable[[str, "int | None"], Exception]


def read_user_yaml(path: Path, error: MakeError) -> Any:
    """A YAML file a user wrote, safely loaded; ``None`` when it is empty.

    Unreadable, not UTF-8 or not valid YAML: ``error(message, line)`` is raised; the message says what is
    wrong (for invalid YAML, what the parser expected, in which column), the caller's error names the file
    and the line (see :func:`place`).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d) / "links.yaml"
    ...     _ = p.write_text("links:\\n  - rel: SERVES\\n    from: [task-1\\n", encoding="utf-8")
    ...     try:
    ...         read_user_yaml(p, lambda message, line: ValueError(line, message))
    ...     except ValueError as e:
    ...         print(e.args[0], *e.args[1].split(": ", 1), sep="\\n")
    4
    not valid YAML
    did not find expected ',' or ']' at column 1 (while parsing a flow sequence from line 3)
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"not UTF-8 text (byte {exc.start})", None) from None
    except OSError as exc:
        raise error(f"cannot be read: {exc.strerror}", None) from None
    try:
        return _parse(text)
    except yaml.MarkedYAMLError as exc:
        raise error(*_invalid(exc)) from None
    except yaml.YAMLError as exc:
        raise error(f"not valid YAML: {exc}", None) from None


def place(path: Path, line: int | None) -> str:
    """``file:line`` (or the file alone), as an error's ``where``."""
    return f"{path}:{line}" if line is not None else str(path)


def _invalid(exc: yaml.MarkedYAMLError) -> tuple[str, int | None]:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    column = f" at column {mark.column + 1}" if mark else ""
    message = f"not valid YAML: {exc.problem or exc.context}{column}"
    if exc.context and exc.problem and exc.context_mark:
        message += f" ({exc.context} from line {exc.context_mark.line + 1})"
    return message, line
