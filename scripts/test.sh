#!/usr/bin/env bash
# Runs every test of the portal on a fresh Debian machine that has the .NET SDK:
# installs what the tests need from Debian when it is missing (Chromium for the browser tests,
# aiosmtpd for the real SMTP server), builds the solution once, publishes the portal (the Production smoke
# test runs the published build), runs the four test projects and
# ends with one line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || missing+=(python3-aiosmtpd)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing from Debian: ${missing[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y --no-install-recommends "${missing[@]}" </dev/null \
    || { $sudo apt-get update </dev/null && $sudo apt-get install -y --no-install-recommends "${missing[@]}" </dev/null; } \
    || { echo "Could not install ${missing[*]}"; exit 1; }
fi

dotnet build Cashout.Portal.sln --nologo -v quiet -clp:ErrorsOnly </dev/null || { echo "0 passed, 1 failed (the build failed)"; exit 1; }
# The Production smoke test (E2E) runs the published build, as an operator deploys it.
rm -rf artifacts/publish
dotnet publish Cashout.Portal.csproj -c Release -o artifacts/publish --nologo -v quiet -clp:ErrorsOnly </dev/null || { echo "0 passed, 1 failed (the publish failed)"; exit 1; }

results=artifacts/test-results
rm -rf "$results"
dotnet test Cashout.Portal.sln --no-build --nologo --logger trx --logger "console;verbosity=normal" --results-directory "$results" </dev/null
status=$?

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

# Only folders with a project run tests (tests/Shared holds source linked into them).
expected=$(ls tests/*/*.csproj | wc -l)
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
