#!/usr/bin/env bash
# Runs every test of the portal on a fresh Debian machine that has the .NET SDK:
# installs what the tests need from Debian when it is missing (Chromium for the browser tests,
# aiosmtpd for the real SMTP server, PostgreSQL, nginx for the two-node test), builds the solution once, publishes
# the portal (the Production smoke test runs the published build), starts a throwaway PostgreSQL cluster, runs the
# four test projects on the embedded SQLite default, the integration tests again on PostgreSQL, the two-node test
# (two portal processes on PostgreSQL behind nginx), stops the cluster and
# ends with one line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || missing+=(python3-aiosmtpd)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing from Debian: ${missing[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y --no-install-recommends "${missing[@]}" </dev/null \
    || { $sudo apt-get update </dev/null && $sudo apt-get install -y --no-install-recommends "${missing[@]}" </dev/null; } \
    || { echo "Could not install ${missing[*]}"; exit 1; }
fi

dotnet build Cashout.Portal.sln --nologo -v quiet -clp:ErrorsOnly </dev/null || { echo "0 passed, 1 failed (the build failed)"; exit 1; }
# The Production smoke test (E2E) runs the published layout, as an operator deploys it. It is published from the build
# just made (-c Debug --no-build; publish alone means Release): compiling everything again in Release took about a
# minute of CI, and nothing in the portal differs by configuration (no #if DEBUG, no configuration-specific item) but
# the JIT's optimisations.
rm -rf artifacts/publish
dotnet publish Cashout.Portal.csproj -c Debug --no-build -o artifacts/publish --nologo -v quiet -clp:ErrorsOnly </dev/null || { echo "0 passed, 1 failed (the publish failed)"; exit 1; }

results=artifacts/test-results
rm -rf "$results"

# A throwaway PostgreSQL cluster on a free loopback port, stopped and deleted however this script ends.
pg_dir=$(mktemp -d -t cashout-pg.XXXXXX)
pg_port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
trap './scripts/postgres.sh stop "$pg_dir"; rm -rf "$pg_dir"' EXIT
pg_server=$(./scripts/postgres.sh start "$pg_dir" "$pg_port") || { echo "0 passed, 1 failed (PostgreSQL did not start: $pg_dir/log)"; exit 1; }

status=0
# 1. Every project on the embedded default (SQLite file, in-memory jobs).
dotnet test Cashout.Portal.sln --no-build --nologo --filter "Database!=PostgreSqlOnly" \
  --logger trx --logger "console;verbosity=normal" --results-directory "$results" </dev/null || status=1
# 2. The integration tests that touch data, again on PostgreSQL (a database per test, cloned from a migrated template).
CASHOUT_TEST_POSTGRES="$pg_server" dotnet test tests/Cashout.Portal.IntegrationTests --no-build --nologo --filter "Database!=SqliteOnly" \
  --logger "trx;LogFileName=integration-postgresql.trx" --logger "console;verbosity=normal" --results-directory "$results" </dev/null || status=1
# 3. Two portal nodes on PostgreSQL behind nginx.
CASHOUT_TEST_POSTGRES="$pg_server" dotnet test tests/Cashout.Portal.E2ETests --no-build --nologo --filter "Database=PostgreSqlOnly" \
  --logger "trx;LogFileName=e2e-two-nodes.trx" --logger "console;verbosity=normal" --results-directory "$results" </dev/null || status=1

passed=0; failed=0; skipped=0; files=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  value() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
  skipped=$((skipped + $(value notExecuted)))
done

# Only folders with a project run tests (tests/Shared holds source linked into them); two more runs on PostgreSQL.
expected=$(( $(ls tests/*/*.csproj | wc -l) + 2 ))
if [ "$files" -lt "$expected" ]; then
  echo "Only $files of $expected test projects reported results (a test host crashed?)"
  failed=$((failed + expected - files))
fi
[ "$status" -eq 0 ] || [ "$failed" -gt 0 ] || failed=1

# The failures again, last, where a truncated log still shows them: each with the first lines of its message.
/usr/bin/python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
failed = []
for trx in sorted(glob.glob(sys.argv[1] + "/*.trx")):
    for result in ET.parse(trx).getroot().iterfind(".//t:UnitTestResult[@outcome='Failed']", ns):
        message = result.findtext("t:Output/t:ErrorInfo/t:Message", "", ns).strip().splitlines()
        failed.append((result.get("testName"), message[:3]))
if failed:
    print("Failed tests:")
    for name, message in failed:
        print("  " + name)
        for line in message:
            print("      " + line[:300])
PY

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
