#!/usr/bin/env bash
# Runs every test of every test project against real servers that the tests start themselves.
# Ends with one line: "N passed, M failed".
# ./test.sh --chaos runs the chaos scenarios instead (tests/Portal.Chaos.Tests, the cluster topology): a broker node,
# an instance of each service and PostgreSQL fail under load; each prints a "CHAOS" line of figures.
set -uo pipefail
root=$(cd "$(dirname "$0")" && pwd)
"$root/scripts/install.sh" --browser || exit 1

dotnet build "$root/Portal.sln" -v quiet -nologo -clp:ErrorsOnly || { echo "0 passed, 1 failed"; exit 1; }

# Servers started by earlier test runs keep their data in throw-away folders.
rm -rf "${TMPDIR:-/tmp}/portal-test"

log=$(mktemp)
if [ "${1:-}" = --chaos ]; then
  export PORTAL_CHAOS_REPORT=$(mktemp)
  dotnet test "$root/tests/Portal.Chaos.Tests" --no-build -nologo --filter Category=Chaos 2>&1 | tee "$log"
  cat "$PORTAL_CHAOS_REPORT"
  rm -f "$PORTAL_CHAOS_REPORT"
else
  dotnet test "$root/Portal.sln" --no-build -nologo --filter 'Category!=Chaos' 2>&1 | tee "$log"
fi
status=${PIPESTATUS[0]}

# VSTest prints one summary per test project: "Passed!  - Failed: 0, Passed: 12, Skipped: 0, ..."
read -r passed failed < <(grep -aE '^\s*(Passed|Failed)!\s+-\s+Failed:' "$log" |
  sed -E 's/.*Failed:\s*([0-9]+), Passed:\s*([0-9]+).*/\2 \1/' |
  awk '{p += $1; f += $2} END {print p + 0, f + 0}')
rm -f "$log"

echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
