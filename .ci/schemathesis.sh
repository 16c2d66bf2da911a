#!/usr/bin/env bash
# Fuzz the live API with schemathesis against its own OpenAPI schema: every check, a
# bounded number of examples per operation. Starts a server on a fresh SQLite database
# in a temporary directory, with a user and a token, and stops it on exit.
# Usage: bash .ci/schemathesis.sh   (from the repository root, with the venv on PATH)
set -Eeuo pipefail
cd "$(dirname "$0")/.."

WORK=$(mktemp -d)
PORT=${SCHEMATHESIS_PORT:-$(python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

export DATABASE_URL="sqlite:///$WORK/db.sqlite3"
export SECRET_KEY="schemathesis-only-not-a-secret"
export DEBUG=0 SECURE_SSL_REDIRECT=0 LOG_LEVEL=WARNING
# Generous rates: the fuzzer is one client sending many requests on purpose.
export API_THROTTLE_ANON=100000/min API_THROTTLE_USER=100000/min API_THROTTLE_AUTH=100000/min
export LOGIN_FAILURE_LIMIT=100000

python manage.py migrate --verbosity 0
# As in production: error pages (404.html, 500.html) name hashed static files.
python manage.py collectstatic --noinput --verbosity 0
# Three accounts: the main one, and one for each token revocation, which would
# otherwise revoke the token the rest of the run uses.
read -r TOKEN REVOKE_TOKEN REVOKE_ALL_TOKEN < <(python manage.py shell --no-imports -c '
from knox.models import AuthToken
from accounts.models import User
tokens = []
for email in ("fuzz@example.com", "revoke@example.com", "revoke-all@example.com"):
    user = User.objects.create_user(email, "fuzz-password-not-secret")
    tokens.append(AuthToken.objects.create(user=user, expiry=None)[1])
print(*tokens)
')

python manage.py runserver "127.0.0.1:$PORT" --noreload --insecure >"$WORK/server.log" 2>&1 &
SERVER_PID=$!

fuzz() {  # fuzz TOKEN [schemathesis options...]
  local token=$1
  shift
  schemathesis --config-file .ci/schemathesis.toml run \
    "http://127.0.0.1:$PORT/api/v1/schema/" \
    --wait-for-schema 30 \
    --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-25}" \
    --workers 1 \
    --seed "${SCHEMATHESIS_SEED:-1}" \
    --header "Authorization: Token $token" \
    "$@" \
    || { echo "--- server log"; tail -n 50 "$WORK/server.log"; return 1; }
}

fuzz "$TOKEN" \
  --exclude-operation-id auth_token_destroy \
  --exclude-operation-id auth_tokens_destroy
fuzz "$REVOKE_TOKEN" --include-operation-id auth_token_destroy
fuzz "$REVOKE_ALL_TOKEN" --include-operation-id auth_tokens_destroy
