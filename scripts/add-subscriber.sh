#!/usr/bin/env bash
# Gives another system its own broker account to read Portal's events, and prints its AMQP URL.
#   ./scripts/add-subscriber.sh NAME        (against the running system: ./run.sh)
# The account may declare, bind and read its own queues and exchanges (NAME-*), read from Portal's
# event exchanges (Portal.Contracts:*) and nothing else: it can publish no event. Running it again
# for the same NAME gives the account a new password. Runs as root, like the broker it manages;
# PORTAL_DATA_DIRECTORY names another data folder than the repository's .data/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
name=${1:-}
if ! [[ "$name" =~ ^[a-z][a-z0-9]{1,30}(-[a-z0-9]+)*$ ]]; then
  echo "usage: $0 NAME   (lower-case letters, digits and dashes, starting with a letter)" >&2
  exit 2
fi
# Portal's own parts name their queues after themselves: a subscriber may not take one of their prefixes.
for part in access tickets attachments notifications gateway web portal; do
  if [ "$name" = "$part" ] || [[ "$name" == "$part"-* ]]; then
    echo "$name: reserved for Portal's own $part" >&2
    exit 2
  fi
done

data=${PORTAL_DATA_DIRECTORY:-$root/.data}/rabbitmq
conf="$data/rabbitmq.conf"
[ -f "$conf" ] || { echo "no broker data in $data: start Portal first (./run.sh)" >&2; exit 1; }
port=$(sed -n 's/^listeners\.tcp\.default = 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$conf")

# rabbitmqctl speaks to the node as an Erlang peer: same node name and cookie ($HOME), on loopback.
export HOME="$data" ERL_EPMD_ADDRESS=127.0.0.1
ctl() { /usr/lib/rabbitmq/bin/rabbitmqctl -q -n "portal-$port@localhost" "$@"; }

password=$(openssl rand -hex 24)
if ctl list_users --no-table-headers | cut -f1 | grep -qx "$name"; then
  ctl change_password "$name" "$password" >/dev/null
else
  ctl add_user "$name" "$password" >/dev/null
fi
# "management" lets the account use the HTTP API (rabbitmqadmin) within these same permissions.
ctl set_user_tags "$name" management >/dev/null
ctl set_permissions -p / "$name" "^$name-.*" "^$name-.*" "^($name-.*|Portal[.]Contracts:.*)\$" >/dev/null
echo "amqp://$name:$password@127.0.0.1:$port"
