#!/usr/bin/env bash
# RabbitMQ 3.10 in the foreground, isolated from /etc/rabbitmq: its own node name, data, cookie,
# config and env files. RABBITMQ_PORT, RABBITMQ_MANAGEMENT_PORT, RABBITMQ_DIST_PORT, RABBITMQ_DATA,
# RABBITMQ_USER, RABBITMQ_PASSWORD.
set -euo pipefail
mkdir -p "$RABBITMQ_DATA"
data=$(cd "$RABBITMQ_DATA" && pwd)

cat >"$data/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$RABBITMQ_PORT
management.tcp.port = $RABBITMQ_MANAGEMENT_PORT
management.tcp.ip = 127.0.0.1
default_user = $RABBITMQ_USER
default_pass = $RABBITMQ_PASSWORD
loopback_users = none
CONF
echo '[rabbitmq_management].' >"$data/enabled_plugins"
: >"$data/rabbitmq-env.conf"

export HOME="$data"
export RABBITMQ_NODENAME="portal-$RABBITMQ_PORT@localhost"
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT="$RABBITMQ_PORT"
export RABBITMQ_DIST_PORT
export RABBITMQ_MNESIA_BASE="$data/mnesia"
export RABBITMQ_LOG_BASE="$data/log"
export RABBITMQ_LOGS=-
export RABBITMQ_CONFIG_FILE="$data/rabbitmq"
export RABBITMQ_CONF_ENV_FILE="$data/rabbitmq-env.conf"
export RABBITMQ_ENABLED_PLUGINS_FILE="$data/enabled_plugins"
export RABBITMQ_PID_FILE="$data/rabbitmq.pid"
export RABBITMQ_ADVANCED_CONFIG_FILE="$data/advanced.config"
/usr/lib/rabbitmq/bin/rabbitmq-server &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null' TERM INT HUP
wait "$pid" || true
wait "$pid" 2>/dev/null || true
# Erlang leaves its port mapper daemon behind; stop it once no node is registered with it.
if ! epmd -names 2>/dev/null | grep -q '^name '; then
  epmd -kill >/dev/null 2>&1 || true
fi
