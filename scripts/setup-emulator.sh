#!/usr/bin/env bash
# Installs the AWS emulator used by the demo and the end-to-end tests (moto server, pinned) into .venv.
# Idempotent: does nothing when .venv already has the pinned version.
set -euo pipefail
cd "$(dirname "$0")/.."
req=src/sandbox/requirements-emulator.txt
want=$(grep -Eo 'moto\[server\]==[0-9.]+' "$req" | sed 's/.*==//')
if [ -x .venv/bin/python ] && [ "$(.venv/bin/python -c 'import moto; print(moto.__version__)' 2>/dev/null || true)" = "$want" ]; then
  exit 0
fi
echo "installing the emulator (moto $want) into .venv ..." >&2
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r "$req"
