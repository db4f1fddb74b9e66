#!/usr/bin/env bash
# Installs the Debian packages Folio builds, runs and tests with, and only those that are missing.
set -euo pipefail
packages=(pkg-config libcairo2-dev libpango1.0-dev libhiredis-dev libzint-dev librsvg2-dev zlib1g-dev
          redis-server poppler-utils zbar-tools curl wrk)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
