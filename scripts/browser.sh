#!/usr/bin/env bash
# Debian's chromium for the view's browser tests (tests/test_view.py): installed with apt when missing
# (as root, or with passwordless sudo), a no-op when present. Prints the browser's path; exit 1 if none.
set -eu
find_browser() { command -v chromium || command -v chromium-browser || true; }
browser=$(find_browser)
if [ -z "$browser" ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo -n"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >&2
  $SUDO apt-get install -y -qq chromium >&2
  browser=$(find_browser)
fi
[ -n "$browser" ] || { echo "chromium is not installed and apt-get could not install it" >&2; exit 1; }
echo "$browser"
