#!/usr/bin/env bash
# Install Debian packages the tests use (e.g. raptor2-utils for `rapper`), once; quick when present.
# Usage: scripts/apt.sh COMMAND PACKAGE   (nothing is done if COMMAND is already on the PATH)
set -eu
command -v "$1" >/dev/null 2>&1 && exit 0
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo -n"
$SUDO apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$2" >/dev/null
command -v "$1" >/dev/null
