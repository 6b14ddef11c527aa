#!/usr/bin/env bash
# The Debian packages the tests need (root): tools/system-packages.txt, and npm where the machine's Node
# has none (it builds the explorer in make install; a Node that has its own npm conflicts with Debian's).
# One place for .ci/run (before make exists on a new machine) and make system-deps.
set -euo pipefail
cd "$(dirname "$0")/.."
pkgs=$(sed -e 's/#.*//' tools/system-packages.txt | xargs)
command -v npm >/dev/null 2>&1 || pkgs="$pkgs npm"
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $pkgs
