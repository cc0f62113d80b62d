#!/usr/bin/env bash
# Installs what Portal needs to run and to test, skipping what is already there.
# Non-interactive; called by run.sh and test.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

apt_updated=
apt_install() {
  [ -n "$apt_updated" ] || { apt-get update -qq; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if [ ! -x /usr/lib/postgresql/15/bin/postgres ]; then
  echo "installing PostgreSQL 15..."
  apt_install postgresql-15
fi
if [ ! -x /usr/lib/rabbitmq/bin/rabbitmq-server ]; then
  echo "installing RabbitMQ..."
  apt_install rabbitmq-server
fi
# The Debian package may start a system-wide node on the ports Portal uses; Portal runs its own.
if command -v service >/dev/null 2>&1 && service rabbitmq-server status >/dev/null 2>&1; then
  service rabbitmq-server stop >/dev/null 2>&1 || true
fi

# The browser tests drive Debian's Chromium (Playwright cannot download one here): test.sh asks for it.
if [ "${1:-}" = "--browser" ] && [ ! -x /usr/bin/chromium ]; then
  echo "installing Chromium (browser tests)..."
  apt_install chromium fonts-dejavu-core
fi

# kubectl renders the Kubernetes deployment (deploy/k8s) for its offline test. Any version does (the kustomization
# keeps to kubectl 1.20's): Debian's is installed only when there is none, since another package's kubectl (Google
# Cloud's, on some machines) owns the same path.
if ! command -v kubectl >/dev/null 2>&1; then
  echo "installing kubectl (Kubernetes deployment test)..."
  apt_install kubernetes-client
fi

# npm tools (Azurite, MailDev, axe-core; the Kubernetes deployment test's schemas and validator), pinned in
# package.json and package-lock.json.
stamp="$root/node_modules/.portal-installed"
if [ ! -f "$stamp" ] || [ "$root/package-lock.json" -nt "$stamp" ]; then
  echo "installing npm tools..."
  (cd "$root" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  touch "$stamp"
fi
