#!/usr/bin/env bash
# Install Debian packages the tests use (e.g. raptor2-utils for `rapper`), once; quick when present.
# Usage: scripts/apt.sh COMMAND PACKAGE   (nothing is done if COMMAND is already on the PATH)
#        scripts/apt.sh /PATH PACKAGE     (a library without a command: nothing is done if /PATH exists)
set -eu
present() { case "$1" in /*) [ -e "$1" ] ;; *) command -v "$1" >/dev/null 2>&1 ;; esac; }
present "$1" && exit 0
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo -n"
$SUDO apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$2" >/dev/null
present "$1"
