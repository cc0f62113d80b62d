#!/usr/bin/env bash
# MailDev: an SMTP sink with a web inbox. SMTP_PORT, MAILDEV_WEB_PORT, MAILDEV_DATA.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$MAILDEV_DATA"
exec "$root/node_modules/.bin/maildev" --ip 127.0.0.1 --smtp "$SMTP_PORT" --web-ip 127.0.0.1 --web "$MAILDEV_WEB_PORT" \
  --mail-directory "$MAILDEV_DATA"
