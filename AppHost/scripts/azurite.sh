#!/usr/bin/env bash
# Azurite's blob service. AZURITE_PORT, AZURITE_DATA.
# --skipApiVersionCheck: Azure.Storage.Blobs 12.30 asks for a newer service version than Azurite knows.
# --disableTelemetry: Azurite reports to Azure Monitor by default; with no way out it kept retrying, 38 ms of CPU a
# second with no blob traffic at all, and filled /tmp/Microsoft-AzureMonitor-* with what it could not send.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$AZURITE_DATA"
exec "$root/node_modules/.bin/azurite-blob" --blobHost 127.0.0.1 --blobPort "$AZURITE_PORT" \
  --location "$AZURITE_DATA" --skipApiVersionCheck --disableProductStyleUrl \
  --disableTelemetry
