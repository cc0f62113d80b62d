#!/usr/bin/env bash
# Shows a service's dead letters, or puts them back on the queues they died in.
#   ./scripts/dead-letters.sh list SERVICE [MAX]     (against the running system: ./run.sh)
#   ./scripts/dead-letters.sh replay SERVICE [MAX]
# SERVICE is a broker account: access, tickets, attachments, notifications, gateway. A message
# lands in SERVICE-dead-letters after its queue failed to deliver it 4 times (scripts/rabbitmq.sh);
# fix the cause first (its logs and traces say why), then replay. Replay republishes each message
# as it came (the administrator impersonates its publisher) and removes it only once the broker has
# confirmed it; consumers handle a message once (their inbox), so a replay twice does no harm.
# PORTAL_BROKER_URL (an administrator's amqp:// URL) replaces the running system's; PORTAL_DATA_DIRECTORY
# names another data folder than the repository's .data/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -lt 2 ] || [ $# -gt 3 ] || ! [[ "$1" =~ ^(list|replay)$ ]] || ! [[ "$2" =~ ^[a-z][a-z0-9-]*$ ]]; then
  echo "usage: $0 list|replay SERVICE [MAX]" >&2
  exit 2
fi
if [ -z "${PORTAL_BROKER_URL:-}" ]; then
  data=${PORTAL_DATA_DIRECTORY:-$root/.data}/rabbitmq
  conf="$data/rabbitmq.conf"
  [ -f "$conf" ] && [ -f "$data/admin-password" ] || { echo "no broker data in $data: start Portal first (./run.sh)" >&2; exit 1; }
  port=$(sed -n 's/^listeners\.tcp\.default = 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$conf")
  PORTAL_BROKER_URL="amqp://portal:$(cat "$data/admin-password")@127.0.0.1:$port"
fi
export PORTAL_BROKER_URL
exec dotnet run --project "$root/tools/DeadLetters" -v quiet -- "$@"
