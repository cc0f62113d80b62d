#!/usr/bin/env bash
# Starts the whole of Portal (installing what it needs on first use) and prints its URLs.
# Ctrl+C stops everything it started.
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
"$root/scripts/install.sh"

# PORTAL_PROFILE=perf: everything in Release, traces sampled, the load directory (AppHost/PerformanceProfile.cs).
configuration=Debug
[ "${PORTAL_PROFILE:-}" = perf ] && configuration=Release
echo "building ($configuration)..."
dotnet build "$root/AppHost/AppHost.csproj" -c "$configuration" -v quiet -nologo -clp:ErrorsOnly

gateway_port=${PORTAL_GATEWAY_PORT:-8080}
export PORTAL_GATEWAY_PORT=$gateway_port
# Job control puts the AppHost in a process group of its own: Ctrl+C (or SIGTERM) reaches this
# script, which stops the AppHost with SIGTERM; the AppHost then stops every server it started.
set -m
dotnet run --project "$root/AppHost/AppHost.csproj" -c "$configuration" --no-build --launch-profile http &
apphost=$!
stop() {
  kill -TERM -- "-$apphost" 2>/dev/null
  wait "$apphost"
  # Erlang's port mapper outlives the broker; stop it once no node uses it any more.
  for _ in $(seq 1 30); do
    epmd -names 2>/dev/null | grep -q '^name ' || { epmd -kill >/dev/null 2>&1 || true; break; }
    sleep 0.5
  done
  exit 0
}
trap stop INT TERM

for _ in $(seq 1 300); do
  curl -sf "http://localhost:$gateway_port/health" >/dev/null 2>&1 && break
  kill -0 "$apphost" 2>/dev/null || { echo "the AppHost stopped" >&2; exit 1; }
  sleep 1
done

# The cluster topology (PORTAL_TOPOLOGY=cluster) keeps its data apart, and has two more broker nodes.
data=.data brokers=""
if [ "${PORTAL_TOPOLOGY:-}" = cluster ]; then
  data=.data/cluster
  brokers=" (3 nodes: also 15673, 15674)"
fi

cat <<URLS

Portal is running (Ctrl+C stops it):
  portal (web)          http://localhost:$gateway_port/          (demo logins in the README)
  gateway (API)         http://localhost:$gateway_port/api/...   reference: http://localhost:$gateway_port/api/docs
  dashboard             http://localhost:18888
  RabbitMQ management   http://localhost:15672$brokers   (operators: user portal, password in $data/rabbitmq/admin-password)
  mail inbox            http://localhost:1080/index.html

URLS
wait "$apphost"
stop
