#!/usr/bin/env bash
# Install Debian's Chromium, and a colour emoji font for the PDF, when they are missing.
#
# `make test` and `make pdf` call this. It installs only as root on Debian (as on the
# team's machines and in CI). Elsewhere it says what to install and exits 0: the
# browser and PDF tests then skip with the same advice, except under CI=true, where
# they fail. A browser is never downloaded any other way (no `playwright install`).
set -euo pipefail

missing=()
if ! [ -x /usr/bin/chromium ] && ! command -v chromium >/dev/null 2>&1; then
    missing+=(chromium)
fi
# Without it the execution table's status marks print as empty boxes.
if command -v dpkg-query >/dev/null 2>&1 \
        && ! dpkg-query -W -f='${Status}' fonts-noto-color-emoji 2>/dev/null | grep -q "install ok installed"; then
    missing+=(fonts-noto-color-emoji)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && [ -f /etc/debian_version ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-chromium: installing ${missing[*]} with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
    echo "ensure-chromium: ${missing[*]} missing and not root on Debian, so not installed here." >&2
    echo "  Install with: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
fi
