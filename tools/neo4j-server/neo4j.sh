#!/usr/bin/env bash
# Local Neo4j 5 Community server for PlanGraph: build | start | stop | status | restart
#
# Environment (all optional):
#   NEO4J_PORT           Bolt port                        (default 7687)
#   NEO4J_DATA_DIR       Neo4j home: data/, logs/, pid    (default <repo>/.neo4j-data)
#   NEO4J_PASSWORD       password of user neo4j           (default plangraph-dev)
#   NEO4J_HEAP           JVM max heap                     (default 1g)
#   NEO4J_PAGECACHE      Neo4j page cache                 (default 256m)
#   NEO4J_TX_MEMORY      memory of one transaction        (default 256m, db.memory.transaction.max)
#   NEO4J_TX_MEMORY_TOTAL  of all transactions together   (default 768m, dbms.memory.transaction.total.max)
#   NEO4J_TX_TIMEOUT_S   seconds a transaction may run    (default 120, db.transaction.timeout)
#   NEO4J_START_TIMEOUT  seconds to wait for readiness    (default 120)
#   NEO4J_STOP_TIMEOUT   seconds to wait for clean stop   (default 60)
#   NEO4J_JAVA_OPTS      extra JVM options
#   MVN, JAVA            Maven / java executables         (default mvn / java)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="${REPO:-$(cd "$SCRIPT_DIR/../.." && pwd)}"

NEO4J_PORT="${NEO4J_PORT:-7687}"
NEO4J_DATA_DIR="${NEO4J_DATA_DIR:-$REPO/.neo4j-data}"
NEO4J_PASSWORD="${NEO4J_PASSWORD:-plangraph-dev}"
NEO4J_HEAP="${NEO4J_HEAP:-1g}"
NEO4J_PAGECACHE="${NEO4J_PAGECACHE:-256m}"
NEO4J_START_TIMEOUT="${NEO4J_START_TIMEOUT:-120}"
NEO4J_STOP_TIMEOUT="${NEO4J_STOP_TIMEOUT:-60}"
NEO4J_JAVA_OPTS="${NEO4J_JAVA_OPTS:-}"
MVN="${MVN:-mvn}"
if [[ -z "${JAVA:-}" ]]; then
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi
fi

MAIN_CLASS=org.plangraph.neo4j.Neo4jServer
TARGET="$SCRIPT_DIR/target"
CLASSPATH_FILE="$TARGET/classpath.txt"
BUILD_STAMP="$TARGET/.build-stamp"

# absolute data dir (relative values are taken relative to the current directory)
NEO4J_DATA_DIR="$(realpath -m "$NEO4J_DATA_DIR")"
PID_FILE="$NEO4J_DATA_DIR/neo4j.pid"
READY_FILE="$NEO4J_DATA_DIR/neo4j.ready"
LOG_DIR="$NEO4J_DATA_DIR/logs"
SERVER_LOG="$LOG_DIR/server.log"

log() { echo "neo4j: $*"; }
die() { echo "neo4j: ERROR: $*" >&2; exit 1; }

# ---------------------------------------------------------------- build
needs_build() {
  [[ -f "$BUILD_STAMP" && -s "$CLASSPATH_FILE" && -f "$TARGET/classes/${MAIN_CLASS//.//}.class" ]] || return 0
  [[ -n "$(find "$SCRIPT_DIR/pom.xml" "$SCRIPT_DIR/src" -newer "$BUILD_STAMP" -print -quit)" ]] && return 0
  # every jar of the recorded classpath must still exist (e.g. ~/.m2 wiped)
  local jar
  while IFS= read -r jar; do
    [[ -z "$jar" || -e "$jar" ]] || return 0
  done < <(tr ':' '\n' < "$CLASSPATH_FILE")
  return 1
}

do_build() {
  if ! needs_build; then
    log "build up to date ($TARGET)"
    return 0
  fi
  command -v "$MVN" >/dev/null || die "maven ('$MVN') not found"
  log "building (mvn compile; first build downloads Neo4j jars from Maven Central) ..."
  local t0=$SECONDS
  # (sed strips the ANSI resets Maven 3.8 prints even in batch/quiet mode)
  (cd "$SCRIPT_DIR" && "$MVN" -B -q compile 2>&1 | sed -e $'s/\x1b\\[[0-9;]*m//g') \
    || die "maven build failed"
  [[ -s "$CLASSPATH_FILE" ]] || die "maven did not write $CLASSPATH_FILE"
  touch "$BUILD_STAMP"
  log "build done in $((SECONDS - t0)) s"
}

# ---------------------------------------------------------------- process helpers
read_pid() { [[ -f "$PID_FILE" ]] && tr -dc '0-9' < "$PID_FILE" || true; }

is_our_process() {  # pid -> 0 if it is a live Neo4jServer JVM
  local pid="$1"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null \
    && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "$MAIN_CLASS"
}

running_pid() {  # prints pid of our running server, or nothing (cleans stale pid file)
  local pid; pid="$(read_pid)"
  if [[ -n "$pid" ]] && is_our_process "$pid"; then echo "$pid"; return 0; fi
  [[ -f "$PID_FILE" ]] && rm -f "$PID_FILE"
  return 0
}

bolt_answers() {  # 0 if a Bolt server completes the handshake on 127.0.0.1:$NEO4J_PORT
  if command -v python3 >/dev/null; then
    python3 - "$NEO4J_PORT" <<'PY' 2>/dev/null
import socket, sys
try:
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=3)
    s.settimeout(3)
    # Bolt magic + proposals: 5.0-5.8, 4.4, none, none
    s.sendall(bytes.fromhex("6060b017" "00080805" "00000404" "00000000" "00000000"))
    resp = b""
    while len(resp) < 4:
        chunk = s.recv(4 - len(resp))
        if not chunk:
            break
        resp += chunk
    s.close()
    sys.exit(0 if len(resp) == 4 and resp != b"\0\0\0\0" else 1)
except Exception:
    sys.exit(1)
PY
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$NEO4J_PORT") 2>/dev/null
  fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$NEO4J_PORT") 2>/dev/null; }

show_log_tail() {
  echo "----- last 60 lines of $SERVER_LOG -----" >&2
  tail -n 60 "$SERVER_LOG" >&2 2>/dev/null || echo "(no log)" >&2
  echo "----- (Neo4j debug log: $LOG_DIR/debug.log) -----" >&2
}

# ---------------------------------------------------------------- commands
do_start() {
  local pid; pid="$(running_pid)"
  if [[ -n "$pid" ]]; then
    local url; url="$(cat "$READY_FILE" 2>/dev/null || echo "not ready yet")"
    log "already running (pid $pid, $url, data $NEO4J_DATA_DIR); nothing to do"
    return 0
  fi
  if port_in_use; then
    die "port $NEO4J_PORT is already in use by another process (set NEO4J_PORT to use another port)"
  fi
  do_build
  command -v "$JAVA" >/dev/null || die "java ('$JAVA') not found (Java 17+ required)"

  mkdir -p "$LOG_DIR"
  rm -f "$READY_FILE"
  local cp="$TARGET/classes:$(cat "$CLASSPATH_FILE")"
  # shellcheck disable=SC2086
  NEO4J_DATA_DIR="$NEO4J_DATA_DIR" NEO4J_PORT="$NEO4J_PORT" NEO4J_PASSWORD="$NEO4J_PASSWORD" \
  NEO4J_PAGECACHE="$NEO4J_PAGECACHE" NEO4J_TX_MEMORY="${NEO4J_TX_MEMORY:-}" \
  NEO4J_TX_MEMORY_TOTAL="${NEO4J_TX_MEMORY_TOTAL:-}" NEO4J_TX_TIMEOUT_S="${NEO4J_TX_TIMEOUT_S:-}" \
  nohup "$JAVA" \
      -Xms256m -Xmx"$NEO4J_HEAP" -XX:+UseG1GC \
      -XX:-OmitStackTraceInFastThrow -XX:+ExitOnOutOfMemoryError \
      -Djdk.nio.maxCachedBufferSize=1024 -Dio.netty.tryReflectionSetAccessible=true \
      --add-opens=java.base/java.nio=ALL-UNNAMED \
      --add-opens=java.base/java.io=ALL-UNNAMED \
      --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
      $NEO4J_JAVA_OPTS \
      -cp "$cp" "$MAIN_CLASS" \
      >>"$SERVER_LOG" 2>&1 </dev/null &
  pid=$!
  echo "$pid" > "$PID_FILE"
  log "starting (pid $pid, port $NEO4J_PORT, data $NEO4J_DATA_DIR, log $SERVER_LOG) ..."

  local t0=$SECONDS
  while (( SECONDS - t0 < NEO4J_START_TIMEOUT )); do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PID_FILE"
      show_log_tail
      die "server process exited during startup"
    fi
    if [[ -f "$READY_FILE" ]] && bolt_answers; then
      log "ready: bolt://127.0.0.1:$NEO4J_PORT user neo4j (started in $((SECONDS - t0)) s)"
      return 0
    fi
    sleep 1
  done
  show_log_tail
  log "not ready after ${NEO4J_START_TIMEOUT} s; stopping it"
  do_stop >&2 || true
  exit 1
}

do_stop() {
  local pid; pid="$(running_pid)"
  if [[ -z "$pid" ]]; then
    log "not running"
    rm -f "$READY_FILE"
    return 0
  fi
  log "stopping (pid $pid) ..."
  kill -TERM "$pid" 2>/dev/null || true
  local t0=$SECONDS
  while kill -0 "$pid" 2>/dev/null; do
    if (( SECONDS - t0 >= NEO4J_STOP_TIMEOUT )); then
      log "WARNING: no clean stop after ${NEO4J_STOP_TIMEOUT} s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 1
      break
    fi
    sleep 0.5
  done
  rm -f "$PID_FILE" "$READY_FILE"
  log "stopped (in $((SECONDS - t0)) s)"
}

do_status() {
  local pid; pid="$(running_pid)"
  if [[ -z "$pid" ]]; then
    log "not running (port $NEO4J_PORT, data $NEO4J_DATA_DIR)"
    return 3
  fi
  if [[ -f "$READY_FILE" ]] && bolt_answers; then
    log "running (pid $pid), ready at bolt://127.0.0.1:$NEO4J_PORT, data $NEO4J_DATA_DIR, log $SERVER_LOG"
    return 0
  fi
  log "process $pid is up but Bolt is not ready on port $NEO4J_PORT (starting, or see $SERVER_LOG)"
  return 1
}

case "${1:-}" in
  build)   do_build ;;
  start)   do_start ;;
  stop)    do_stop ;;
  restart) do_stop; do_start ;;
  status)  do_status ;;
  *) echo "usage: $0 {build|start|stop|restart|status}" >&2; exit 2 ;;
esac
