"""wrk, the compiled HTTP load generator (Debian package ``wrk``): run it, read its figures.

A Python client on the same two cores measures itself more than the service; wrk's event loop in C costs
a few percent of a core. ``--latency`` gives the percentiles; a Lua script (:func:`mix_script`) sends a
mix of paths and counts ``X-Cache`` hits.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

WRK = shutil.which("wrk") or "/usr/bin/wrk"
_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass(frozen=True)
class Figures:
    """One wrk run: requests/s, p50/p99 latency (ms), requests, non-2xx/3xx answers, socket errors,
    and (with a mix script) the answers served from the cache."""

    rps: float
    p50: float
    p99: float
    requests: int
    non2xx: int
    socket_errors: int
    cache_hits: int = -1
    #: with :func:`store_time_script`: the p50 of the store time the answers report (ms), and how many did
    store_p50: float = float("nan")
    store_answers: int = 0

    @property
    def errors(self) -> int:
        return self.non2xx + self.socket_errors


def url_path(path: str) -> str:
    """``path`` with non-ASCII percent-encoded (wrk sends the bytes it is given)."""
    return quote(path, safe="/?&=%:+,;")


def run(
    url: str, connections: int, seconds: float, *, script: Path | None = None, timeout_s: float = 10.0
) -> Figures:
    """``connections`` keep-alive connections for ``seconds``, on one wrk thread per core at most."""
    if not shutil.which(WRK):
        raise SystemExit("error: wrk is not installed (Debian: apt-get install -y wrk)")
    threads = max(1, min(2, connections))
    cmd = [
        WRK,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds:g}s",
        "--latency",
        f"--timeout={timeout_s:g}s",
    ]
    if script is not None:
        cmd += ["-s", str(script)]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    return parse(out)


def parse(out: str) -> Figures:
    """The figures of wrk's ``--latency`` report."""
    lat = {}
    for name in ("50%", "99%"):
        m = re.search(rf"^\s*{re.escape(name)}\s+([\d.]+)(us|ms|s|m)\s*$", out, re.MULTILINE)
        if not m:
            raise RuntimeError(f"no {name} latency in wrk's output:\n{out}")
        lat[name] = float(m.group(1)) * _UNIT_MS[m.group(2)]
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    count = re.search(r"(\d+) requests in", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    hits = re.search(r"^cache hits (\d+)$", out, re.MULTILINE)
    store = re.search(r"^store p50 ([\d.]+) n (\d+)$", out, re.MULTILINE)
    return Figures(
        rps=float(rate.group(1)) if rate else float("nan"),
        p50=lat["50%"],
        p99=lat["99%"],
        requests=int(count.group(1)) if count else 0,
        non2xx=int(non2xx.group(1)) if non2xx else 0,
        socket_errors=sum(int(x) for x in sock.groups()) if sock else 0,
        cache_hits=int(hits.group(1)) if hits else -1,
        store_p50=float(store.group(1)) if store else float("nan"),
        store_answers=int(store.group(2)) if store else 0,
    )


_MIX_LUA = """
-- written by bench/_wrk.py: each request is a random draw from the mix; hits count X-Cache: hit
local paths = {%(paths)s}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) hits = 0 math.randomseed(%(seed)d + (tonumber(tostring({}):sub(8), 16) or 0)) end
function request() return wrk.format("GET", paths[math.random(#paths)]) end
function response(status, headers, body)
  if (headers["x-cache"] or headers["X-Cache"]) == "hit" then hits = hits + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("hits") end
  io.write(string.format("cache hits %%d\\n", total))
end
"""


def mix_script(paths: list[str], folder: Path | None = None, seed: int = 1) -> Path:
    """A Lua script sending ``paths`` (weights by repetition) in random order; prints ``cache hits N``."""
    folder = folder or Path(tempfile.mkdtemp(prefix="plangraph-wrk-"))
    lua = ", ".join('"' + url_path(p).replace('"', '\\"') + '"' for p in paths)
    script = folder / "mix.lua"
    script.write_text(_MIX_LUA % {"paths": lua, "seed": seed}, encoding="utf-8")
    return script


_STORE_TIME_LUA = """
-- written by bench/_wrk.py: the store time each answer reports (Server-Timing: store;dur=MS, api/timing.py)
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) durs = {} end
function response(status, headers, body)
  local v = headers["server-timing"] or headers["Server-Timing"]
  local d = v and v:match("store;dur=([%d.]+)")
  if d then durs[#durs + 1] = tonumber(d) end
end
function done(summary, latency, requests)
  local all = {}
  for _, t in ipairs(threads) do for _, d in ipairs(t:get("durs")) do all[#all + 1] = d end end
  table.sort(all)
  if #all > 0 then
    io.write(string.format("store p50 %.3f n %d\\n", all[math.floor((#all + 1) / 2)], #all))
  end
end
"""


def store_time_script(folder: Path | None = None) -> Path:
    """A Lua script that reads each answer's ``Server-Timing: store`` and prints ``store p50 MS n N``: the
    route's store calls timed in the server, during the run (:attr:`Figures.store_p50`)."""
    folder = folder or Path(tempfile.mkdtemp(prefix="plangraph-wrk-"))
    script = folder / "store_time.lua"
    script.write_text(_STORE_TIME_LUA, encoding="utf-8")
    return script
