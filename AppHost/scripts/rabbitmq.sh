#!/usr/bin/env bash
# RabbitMQ 3.10 in the foreground, isolated from /etc/rabbitmq: its own node name, data, cookie,
# config and env files, every listener (AMQP, management, distribution, epmd) on 127.0.0.1.
# RABBITMQ_PORT, RABBITMQ_MANAGEMENT_PORT, RABBITMQ_DIST_PORT, RABBITMQ_DATA,
# RABBITMQ_USER, RABBITMQ_PASSWORD: the administrator (operators only; the password is left in
# $RABBITMQ_DATA/admin-password, readable by root alone). It may impersonate (publish under another
# account's user-id), which only putting dead letters back needs (scripts/dead-letters.sh).
# RABBITMQ_COOKIE: the Erlang cookie every node of one cluster shares (else each node has its own).
# RABBITMQ_JOIN: another node's name (a cluster): a new node joins that node's cluster once it is up,
# then becomes a member of every quorum queue; a node that was a member rejoins by itself.
# RABBITMQ_ACCOUNTS: one account per line, "user password configure write read" (permission
# regular expressions on the default virtual host), written at every start, so that passwords and
# permissions are always the ones given; accounts added later (scripts/add-subscriber.sh) are kept.
# Each account's queues ("user-*") dead-letter to "user-dead-letters" after RABBITMQ_DELIVERY_LIMIT
# failed deliveries: the broker moves the message as it came, publisher's user-id included, which a
# consumer moving it itself could not do (RabbitMQ accepts only the mover's own user-id).
set -euo pipefail
mkdir -p "$RABBITMQ_DATA"
data=$(cd "$RABBITMQ_DATA" && pwd)

# RabbitMQ's SHA-256 password hash: base64(salt ++ sha256(salt ++ password)), 4 random bytes of salt.
password_hash() {
  local salt
  salt=$(openssl rand -hex 4)
  { printf '%s' "$salt" | xxd -r -p; { printf '%s' "$salt" | xxd -r -p; printf '%s' "$1"; } | openssl dgst -sha256 -binary; } | base64 -w0
}
json_string() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"; }

users="{\"name\":$(json_string "$RABBITMQ_USER"),\"password_hash\":\"$(password_hash "$RABBITMQ_PASSWORD")\",\"hashing_algorithm\":\"rabbit_password_hashing_sha256\",\"tags\":[\"administrator\",\"impersonator\"],\"limits\":{}}"
permissions="{\"user\":$(json_string "$RABBITMQ_USER"),\"vhost\":\"/\",\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}"
exchanges= queues= bindings= policies=
while read -r user password configure write read; do
  [ -n "${user:-}" ] || continue
  users="$users,{\"name\":$(json_string "$user"),\"password_hash\":\"$(password_hash "$password")\",\"hashing_algorithm\":\"rabbit_password_hashing_sha256\",\"tags\":[],\"limits\":{}}"
  permissions="$permissions,{\"user\":$(json_string "$user"),\"vhost\":\"/\",\"configure\":$(json_string "$configure"),\"write\":$(json_string "$write"),\"read\":$(json_string "$read")}"
  dead="$user-dead-letters"
  exchanges="$exchanges${exchanges:+,}{\"name\":\"$dead\",\"vhost\":\"/\",\"type\":\"fanout\",\"durable\":true,\"auto_delete\":false,\"internal\":false,\"arguments\":{}}"
  queues="$queues${queues:+,}{\"name\":\"$dead\",\"vhost\":\"/\",\"durable\":true,\"auto_delete\":false,\"arguments\":{\"x-queue-type\":\"quorum\"}}"
  bindings="$bindings${bindings:+,}{\"source\":\"$dead\",\"vhost\":\"/\",\"destination\":\"$dead\",\"destination_type\":\"queue\",\"routing_key\":\"\",\"arguments\":{}}"
  policies="$policies${policies:+,}{\"vhost\":\"/\",\"name\":\"$dead\",\"pattern\":\"^$user-(?!dead-letters\$)\",\"apply-to\":\"queues\",\"priority\":0,\"definition\":{\"dead-letter-exchange\":\"$dead\",\"delivery-limit\":${RABBITMQ_DELIVERY_LIMIT:-4}}}"
done <<<"${RABBITMQ_ACCOUNTS:-}"
umask 077
# For operators (management UI, rabbitmqadmin): the administrator's password of this run.
printf '%s\n' "$RABBITMQ_PASSWORD" >"$data/admin-password"
printf '{"users":[%s],"vhosts":[{"name":"/"}],"permissions":[%s],"exchanges":[%s],"queues":[%s],"bindings":[%s],"policies":[%s]}\n' \
  "$users" "$permissions" "$exchanges" "$queues" "$bindings" "$policies" >"$data/definitions.json"

cat >"$data/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$RABBITMQ_PORT
management.tcp.port = $RABBITMQ_MANAGEMENT_PORT
management.tcp.ip = 127.0.0.1
load_definitions = $data/definitions.json
CONF
echo '[rabbitmq_management].' >"$data/enabled_plugins"
: >"$data/rabbitmq-env.conf"

export HOME="$data"
if [ -n "${RABBITMQ_COOKIE:-}" ]; then
  rm -f "$data/.erlang.cookie"
  printf '%s' "$RABBITMQ_COOKIE" >"$data/.erlang.cookie"
  chmod 400 "$data/.erlang.cookie"
fi
export RABBITMQ_NODENAME="portal-$RABBITMQ_PORT@localhost"
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT="$RABBITMQ_PORT"
export RABBITMQ_DIST_PORT
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
export ERL_EPMD_ADDRESS=127.0.0.1
export RABBITMQ_MNESIA_BASE="$data/mnesia"
export RABBITMQ_LOG_BASE="$data/log"
export RABBITMQ_LOGS=-
export RABBITMQ_CONFIG_FILE="$data/rabbitmq"
export RABBITMQ_CONF_ENV_FILE="$data/rabbitmq-env.conf"
export RABBITMQ_ENABLED_PLUGINS_FILE="$data/enabled_plugins"
export RABBITMQ_PID_FILE="$data/rabbitmq.pid"
export RABBITMQ_ADVANCED_CONFIG_FILE="$data/advanced.config"
# An idle port mapper left by an earlier node may listen on every interface: start a loopback one.
if ! epmd -names 2>/dev/null | grep -q '^name '; then
  epmd -kill >/dev/null 2>&1 || true
fi
fresh=true
[ -d "$RABBITMQ_MNESIA_BASE" ] && fresh=false
/usr/lib/rabbitmq/bin/rabbitmq-server &
pid=$!
stopping=false
trap 'stopping=true; kill -TERM "$pid" 2>/dev/null' TERM INT HUP
ctl() { /usr/lib/rabbitmq/bin/rabbitmqctl -q -n "$RABBITMQ_NODENAME" "$@"; }
join() {
  # await_startup fails at once while the node has not yet registered with the port mapper.
  local up=false
  for _ in $(seq 1 120); do
    ctl await_startup --timeout 120 2>/dev/null && { up=true; break; }
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 1
  done
  $up || return 1
  if $fresh; then
    ctl stop_app || return 1
    local joined=false
    for _ in $(seq 1 60); do
      ctl join_cluster "$RABBITMQ_JOIN" && { joined=true; break; }
      sleep 1
    done
    $joined && ctl start_app || return 1
  fi
  # Queues declared before this node joined (the dead-letter queues of the definitions) get a replica here too.
  /usr/lib/rabbitmq/bin/rabbitmq-queues -q -n "$RABBITMQ_NODENAME" grow "$RABBITMQ_NODENAME" all >/dev/null
}
if [ -n "${RABBITMQ_JOIN:-}" ] && ! join; then
  echo "could not join $RABBITMQ_JOIN" >&2
  kill -TERM "$pid"
  wait "$pid" || true
  exit 1
fi
# A node that ends without being asked to (killed with SIGKILL, crashed) is a failure for whoever supervises this
# script, one stopped on request is not; rabbitmq-server itself says 0 either way.
while kill -0 "$pid" 2>/dev/null; do
  wait "$pid" || true
done
status=0
$stopping || status=1
# Erlang leaves its port mapper daemon behind; stop it once no node is registered with it.
if ! epmd -names 2>/dev/null | grep -q '^name '; then
  epmd -kill >/dev/null 2>&1 || true
fi
exit "$status"
