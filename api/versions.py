"""The version of what a store holds: a token that changes with every add, replace or drop of a plan, by
this service or by another process. Answers computed from one version stay true until the next, so the
response cache (:mod:`api.cache`) keys them by it.

- A write through this service bumps the state's generation at once.
- Neo4j: other clients write the same database. The version holds a fingerprint of the store's plan rows
  (id, title, issuer, period, source sha256, path: what ``plangraph add/drop/load`` change), read again
  when it is older than ``PLANGRAPH_PLAN_LIST_TTL_S``.
- Ladybug served read-only (writes switched off: no ``PLANGRAPH_TOKEN``): another process may write the
  file meanwhile (the engine allows one writer beside any number of read-only processes; a read-only one
  keeps seeing the file as it was when it opened it). :class:`FileWatch` compares the file's and its
  write-ahead log's size and modification time on a request (two ``stat`` calls; at most once a
  millisecond, :data:`LOOK_EVERY_S`); when they changed and
  no process holds the file's write lock any more, the service opens the file afresh and the version moves.
- Ladybug served read-write: no other process can write the file (the engine locks it), so the generation
  says it all.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Signature = tuple[int, ...]


def file_signature(path: Path | tuple[str, str]) -> Signature:
    """Size and modification time (ns) of the store file and of its write-ahead log (absent: zeros);
    ``path`` may be the two file names already."""
    sig: list[int] = []
    for file in path if isinstance(path, tuple) else (str(path), f"{path}.wal"):
        try:
            st = os.stat(file)
        except FileNotFoundError:
            sig += [0, 0]
        else:
            sig += [st.st_size, st.st_mtime_ns]
    return tuple(sig)


_LOCK = struct.Struct("hhqqi")  # struct flock on Linux: l_type, l_whence, l_start, l_len, l_pid


def write_locked(path: Path) -> bool:
    """Does another process hold the file's write lock (a ``plangraph add`` running)? Asked with F_GETLK,
    which takes no lock. Only for a file this process holds no lock on: closing any descriptor of a file
    drops the process's own POSIX locks on it."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        answer = fcntl.fcntl(fd, fcntl.F_GETLK, _LOCK.pack(fcntl.F_WRLCK, os.SEEK_SET, 0, 0, 0))
    finally:
        os.close(fd)
    return bool(_LOCK.unpack(answer)[0] != fcntl.F_UNLCK)


#: a file found unchanged is not looked at again for this long (s): at thousands of cached answers a
#: second the two ``stat`` calls were a tenth of each (bench/serving.py); a write another process finished
#: is seen a millisecond later at most
LOOK_EVERY_S = 0.001


@dataclass
class FileWatch:
    """Watches a Ladybug file this process holds read-only for writes by other processes."""

    path: Path
    seen: Signature = field(default=())
    #: monotonic time until which the last look that found the file unchanged holds (:data:`LOOK_EVERY_S`
    #: after it): before it, the file is taken as unchanged without a look
    fresh_until: float = field(default=float("-inf"))

    def __post_init__(self) -> None:
        self._files = (str(self.path), f"{self.path}.wal")
        self.seen = self.seen or file_signature(self._files)

    def changed(self, *, now: float | None = None) -> bool:
        """The file changed since :meth:`mark` and no writer holds it now (a reopen sees a finished load).
        With ``now`` (monotonic), a file found unchanged within :data:`LOOK_EVERY_S` is not looked at."""
        if now is not None and now < self.fresh_until:
            return False
        if file_signature(self._files) != self.seen and not write_locked(self.path):
            return True
        if now is not None:
            self.fresh_until = now + LOOK_EVERY_S
        return False

    def mark(self) -> None:
        """What the file looks like now is what the open store shows."""
        self.seen = file_signature(self._files)
        self.fresh_until = float("-inf")


def fingerprint(rows: list[dict[str, Any]]) -> str:
    """A short digest of the store's plan rows (see the ``plans`` canned query)."""
    text = repr(sorted((sorted(r.items()) for r in rows), key=repr))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()
