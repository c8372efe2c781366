#!/usr/bin/env bash
# Installs the AWS emulator used by the demo and the end-to-end tests (moto server, pinned) into .venv.
# Idempotent: does nothing when .venv was installed from the same requirements file (its sha256 in .venv/.requirements.sha256).
set -euo pipefail
cd "$(dirname "$0")/.."
req=src/sandbox/requirements-emulator.txt
stamp=.venv/.requirements.sha256
want=$(sha256sum "$req" | cut -d' ' -f1)
if [ -x .venv/bin/python ] && [ "$(cat "$stamp" 2>/dev/null || true)" = "$want" ] && .venv/bin/python -c 'import moto.server' 2>/dev/null; then
  exit 0
fi
version=$(grep -Eo '^moto\[[a-z0-9,]+\]==[0-9.]+' "$req" | sed 's/.*==//')
echo "installing the emulator (moto $version) into .venv ..." >&2
# a new venv: nothing an earlier requirements file installed stays behind
rm -rf .venv
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r "$req"
echo "$want" > "$stamp"
