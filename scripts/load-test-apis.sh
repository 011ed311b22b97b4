#!/usr/bin/env bash
# Load test of the machine APIs over real HTTP with wrk (Debian: apt-get install wrk). Not part of the test suite.
# Starts the built portal (Development, fresh SQLite file in a temp folder, rate limits raised so they do not cap
# the figures), then measures, in one run: a bare endpoint (/health), family C's signed status call, and family A's
# process call. Usage: scripts/load-test-apis.sh [seconds=15] [connections=16] [rounds=5]
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-15}"; connections="${2:-16}"; rounds="${3:-5}"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
tmp=$(mktemp -d)
base="http://127.0.0.1:$port"
dotnet build Cashout.Portal.csproj -c Release --nologo -v quiet -clp:ErrorsOnly >/dev/null
# Only the port is given: the adapters and the provider sandbox follow the address the portal listens on.
ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="$base" Database__Path="$tmp/load.db" Email__PickupDirectory="$tmp/mail" \
  Sandbox__DatabasePath="$tmp/sandbox.db" Api__RequestsPerSecond=100000 Api__Burst=100000 Logging__LogLevel__Default=Warning \
  bin/Release/net10.0/Cashout.Portal --contentRoot "$PWD" >"$tmp/portal.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 1 120); do curl -sf "$base/health" >/dev/null && break; kill -0 $pid 2>/dev/null || { cat "$tmp/portal.log"; exit 1; }; sleep 0.5; done

auth="Authorization: Basic $(printf 'demo_login:demo_pass' | base64)"
# Linking changes where money goes: family A needs the body signed with the signature secret too (ADR 019).
link_body='{"method":"payoneer","email":"payee@example.com"}'
link_signature=$(printf '%s' "$link_body" | openssl dgst -sha256 -hmac demo_signature_secret | awk '{print $NF}')
# 409: the demo data linked one already; either way a Payoneer payee is linked.
linked=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$base/cashout/link" -H "$auth" -H "Payload-Signature: $link_signature" -H 'Content-Type: application/json' -d "$link_body")
[[ "$linked" == 200 || "$linked" == 409 ]] || { echo "linking a payee answered $linked"; exit 1; }
cashout=$(curl -s -X POST "$base/cashout/process" -H "$auth" -H 'Content-Type: application/json' -d '{"amount":100000,"method":"payoneer"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["content"]["cashoutId"])')
status_body="{\"login\":\"demo_login\",\"pass\":\"demo_pass\",\"cashout_id\":$cashout}"
signature=$(printf '%s' "$status_body" | openssl dgst -sha256 -hmac demo_signature_secret | awk '{print $NF}')

cat >"$tmp/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = os.getenv("BODY")
wrk.headers["Content-Type"] = "application/json"
LUA

# Each run adds a row "name|requests/s|p50|p99" to the summary; wrk's own lines are shown as they come.
run() {
  local name=$1; shift
  echo "== $name"
  wrk -t2 -c"$connections" -d"${duration}s" --latency "$@" | tee "$tmp/wrk.out" | grep -E "Requests/sec|50%|99%|Non-2xx"
  printf '%s|%s|%s|%s\n' "$name" "$(awk '/Requests\/sec/ {print $2}' "$tmp/wrk.out")" \
    "$(awk '$1 == "50%" {print $2}' "$tmp/wrk.out")" "$(awk '$1 == "99%" {print $2}' "$tmp/wrk.out")" >>"$tmp/summary"
}
# The machine is shared and its speed moves within seconds: the bare endpoint and the status call alternate, each
# status round compared with the bare rounds on either side of it, and the median of those ratios is the result.
run "bare GET /health" "$base/health"
for _ in $(seq 1 "$rounds"); do
  BODY="$status_body" run "family C POST /v3/cashout/status (signed)" -s "$tmp/post.lua" -H "Payload-Signature: $signature" "$base/v3/cashout/status"
  run "bare GET /health" "$base/health"
done
# A pending cashout exists, so every process call runs the whole pipeline and is declined 409 (a declined attempt is written).
BODY='{"amount":10000,"method":"payoneer"}' run "family A POST /cashout/process (409 pending cashout exists)" -s "$tmp/post.lua" -H "$auth" "$base/cashout/process"
run "bare GET /health" "$base/health"

echo
echo "Each row against the mean of the bare rounds just before and just after it:"
echo "| endpoint | requests/s | bare around it | ratio | p50 | p99 |"
echo "|---|---:|---:|---:|---:|---:|"
awk -F'|' '{ name[NR] = $1; rate[NR] = $2; p50[NR] = $3; p99[NR] = $4 }
  END {
    for (i = 2; i < NR; i += 1) if (name[i] !~ /^bare/) {
      ceiling = (rate[i - 1] + rate[i + 1]) / 2; ratio = rate[i] / ceiling
      printf "| %s | %.0f | %.0f | %.1f%% | %s | %s |\n", name[i], rate[i], ceiling, 100 * ratio, p50[i], p99[i]
      if (name[i] ~ /status/) status[++n] = ratio
    }
    for (a = 1; a <= n; a++) for (b = a + 1; b <= n; b++) if (status[b] < status[a]) { t = status[a]; status[a] = status[b]; status[b] = t }
    printf "\nThe status call over the bare endpoint, median of %d rounds: %.1f%% (DESIGN.md section 7: at least 50%%)\n", n, 100 * status[int((n + 1) / 2)]
  }' "$tmp/summary"
