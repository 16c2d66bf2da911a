#!/usr/bin/env bash
# The side-by-side run of ../shared/peer/compare.sh (the original design beside this project,
# same machine, same run), with two more rows in each of its alternating rounds:
#   GET /healthz       the floor: the web stack with no database work, so a reader can tell
#                      the machine's mood from one run to the next;
#   GET /tasks/        the task page of bench0, logged in, so the HTML list is watched too.
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
"$PLUS" "$@"
# The added rows' medians, and each route against the floor of the same run.
python3 - "$(ls -t "$OUT_DIR"/compare-*.jsonl | head -1)" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
def median(target, part):
    values = [r["rps"] for r in rows if r["target"] == target and part in r["label"]]
    return statistics.median(values) if values else 0.0
floor, peer_list = median("django", "/healthz"), median("peer", "GET")
for label, part in [("API list (users/{id}/tasks/)", "GET /api/v1/users"),
                    ("API list (tasks/?page_size=50)", "page_size=50"),
                    ("API create", "POST"), ("task page /tasks/", "/tasks/ (page")]:
    rps = median("django", part)
    print(f"{label:<32} median {rps:7.0f} req/s = x{rps / floor:.2f} of /healthz")
print(f"/healthz floor median {floor:.0f} req/s; peer list median {peer_list:.0f} req/s")
PY
