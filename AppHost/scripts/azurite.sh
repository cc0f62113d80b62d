#!/usr/bin/env bash
# Azurite's blob service. AZURITE_PORT, AZURITE_DATA.
# --skipApiVersionCheck: Azure.Storage.Blobs 12.30 asks for a newer service version than Azurite knows.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$AZURITE_DATA"
exec "$root/node_modules/.bin/azurite-blob" --blobHost 127.0.0.1 --blobPort "$AZURITE_PORT" \
  --location "$AZURITE_DATA" --skipApiVersionCheck --disableProductStyleUrl
