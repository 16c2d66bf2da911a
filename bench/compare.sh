#!/usr/bin/env bash
# The side-by-side run of ../shared/peer/compare.sh (the original design beside this project,
# same machine, same run), with two more rows in each of its alternating rounds:
#   GET /healthz       the floor: the web stack with no database work, so a reader can tell
#                      the machine's mood from one run to the next;
#   GET /tasks/        the task page of bench0, logged in, so the HTML list is watched too;
#   GET /api/v1/tasks/?page_size=50 with 16 users' tokens: 16 accounts of 50 tasks each,
#                      a different account's token on each request in turn (the harness's
#                      own rows use one integration's token on all 16 connections).
#
#   bench/compare.sh [compare.sh options, e.g. -d 10 -c 16 -r 3 -w 2 -W 2]
#   env: as compare.sh (DJANGO_ENV_EXTRA, KEEP_PG, OUT_DIR, ...), from the repository root.
#
# compare.sh is not copied here: the wrapper takes the harness as it is in ../shared/peer and
# adds its block in front of the round's pgbench step, so any change to the harness is run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PEER_HOME="$(cd "$ROOT/../shared/peer" && pwd)"
cd "$ROOT"
MARK='log "round $r/$RUNS: pgbench limit"'
grep -qF "$MARK" "$PEER_HOME/compare.sh" || { echo "compare.sh changed: no '$MARK' line" >&2; exit 1; }

EXTRA="$(mktemp)"
PLUS="$(mktemp --suffix=.sh)"
trap 'rm -f "$EXTRA" "$PLUS"' EXIT
cat >"$EXTRA" <<'BLOCK'
  if [ -n "$DJ" ]; then
    if [ -z "${SID:-}" ]; then  # a logged-in session of bench0, made once
      SID="$(cd "$DJANGO_DIR" && "$DJANGO_PY" manage.py shell -c '
from django.test import Client
from accounts.models import User
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(User.objects.get(email="bench0@example.com"))
print(client.cookies["sessionid"].value)' | tail -n 1)"
    fi
    if [ -z "${MANY:-}" ]; then  # 16 accounts of 50 tasks, a token each, made once
      MANY="$(mktemp)"
      (cd "$DJANGO_DIR" && "$DJANGO_PY" manage.py shell -c '
from knox.models import AuthToken
from accounts.models import User
from tasks.models import Task
for n in range(16):
    user = User.objects.create_user(f"many{n}@example.com", "bench-password")
    Task.objects.bulk_create(
        Task(user=user, title=f"Task {i}", status="pending") for i in range(50))
    print(f"GET\t/api/v1/tasks/?page_size=50\tAuthorization: Token {AuthToken.objects.create(user=user)[1]}\t")
' | grep "^GET" >"$MANY")
    fi
    log "round $r/$RUNS: django GET /api/v1/tasks/?page_size=50, 16 users' tokens"
    MANY_OUT="$(mktemp)"
    if [ "$WARM" != "0" ]; then
      BENCH_REQUESTS="$MANY" BENCH_OUT="$MANY_OUT" wrk -t1 -c"$CONNS" -d"${WARM}s" \
        --timeout 10s -s "$BENCH_LUA" "$DJ" >/dev/null
    fi
    BENCH_REQUESTS="$MANY" BENCH_OUT="$MANY_OUT" wrk -t1 -c"$CONNS" -d"${DUR}s" \
      --timeout 10s --latency -s "$BENCH_LUA" "$DJ" >/dev/null
    python3 - "$MANY_OUT" "$CONNS" "$DJ/api/v1/tasks/?page_size=50" <<'PY' | record "django" "$r"
import json, sys
run = json.load(open(sys.argv[1]))
latency = run["latency_ms"]
print(json.dumps({
    "label": "django GET /api/v1/tasks/?page_size=50 (16 users' tokens)",
    "method": "GET", "url": sys.argv[3], "connections": int(sys.argv[2]),
    "duration_s": run["seconds"], "requests": run["requests"], "rps": run["rps"],
    "p50_ms": latency["p50"], "p90_ms": latency["p90"], "p99_ms": latency["p99"],
    "mean_ms": latency["mean"], "max_ms": latency["max"], "non2xx": run["non2xx"],
    "first_non2xx_status": int(min(run["non2xx_statuses"], default=0)),
    "socket_errors": run["socket_errors"],
}))
PY
    rm -f "$MANY_OUT"
    log "round $r/$RUNS: django GET /healthz and /tasks/"
    "$HERE/load.sh" -d "$DUR" -c "$CONNS" -w "$WARM" -l "django GET /healthz (floor)" \
      "$DJ" "/healthz" | record "django" "$r"
    "$HERE/load.sh" -d "$DUR" -c "$CONNS" -w "$WARM" -H "Cookie: sessionid=$SID" \
      -l "django GET /tasks/ (page of bench0)" "$DJ" "/tasks/" | record "django" "$r"
  fi
BLOCK
# The harness, reading its files from ../shared/peer, with the block before each pgbench step.
awk -v here="$PEER_HOME" -v mark="$MARK" -v extra="$EXTRA" '
  /^HERE=/ { print "HERE=\"" here "\""; next }
  index($0, mark) { while ((getline line < extra) > 0) print line; close(extra) }
  { print }
' "$PEER_HOME/compare.sh" >"$PLUS"
chmod +x "$PLUS"
# The pages need their static files collected, as a deployment does (the manifest).
PROJECT="${DJANGO_DIR-$ROOT}"
if [ -n "$PROJECT" ]; then
  (cd "$PROJECT" && DEBUG=0 SECRET_KEY="${SECRET_KEY:-collectstatic-only-not-secret-0123456789}" \
    "${DJANGO_PY:-$PROJECT/.venv/bin/python}" manage.py collectstatic --noinput -v 0)
fi
OUT_DIR="${OUT_DIR:-/tmp/peer-compare}"
# The 16 users' row replays its requests with bench/lua/replay.lua (one token per line).
BENCH_LUA="$ROOT/bench/lua/replay.lua" "$PLUS" "$@"
# The added rows' medians, and each route against the floor of the same run.
python3 - "$(ls -t "$OUT_DIR"/compare-*.jsonl | head -1)" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
def median(target, label):
    values = [r["rps"] for r in rows if r["target"] == target and r["label"] == label]
    return statistics.median(values) if values else 0.0
floor = median("django", "django GET /healthz (floor)")
peer_list = median("peer", "peer GET /users/{id}/tasks (50 tasks)")
peer_create = median("peer", "peer POST /users/{id}/tasks")
for label, peer in [("django GET /api/v1/users/{id}/tasks/", peer_list),
                    ("django GET /api/v1/tasks/?page_size=50", peer_list),
                    ("django GET /api/v1/tasks/?page_size=50 (16 users' tokens)", peer_list),
                    ("django POST /api/v1/tasks/", peer_create),
                    ("django GET /tasks/ (page of bench0)", 0)]:
    rps = median("django", label)
    versus = f" = x{rps / peer:.2f} of the peer's" if peer else ""
    print(f"{label[7:]:<52} median {rps:6.0f} req/s = x{rps / floor:.2f} of /healthz{versus}")
print(f"/healthz floor median {floor:.0f} req/s; peer list {peer_list:.0f}, create {peer_create:.0f} req/s")
PY
