#!/usr/bin/env bash
# Installs checkov (the security scanner of `npm run scan`) into .venv-checkov, pinned with all its dependencies
# by security/requirements-checkov.txt. Its own venv: checkov's dependency tree (boto3, pydantic, ...) must not
# meet moto's in .venv. Idempotent: does nothing when .venv-checkov was installed from the same requirements file.
set -euo pipefail
cd "$(dirname "$0")/.."
req=security/requirements-checkov.txt
venv=.venv-checkov
stamp="$venv/.requirements.sha256"
want=$(sha256sum "$req" | cut -d' ' -f1)
if [ -x "$venv/bin/checkov" ] && [ "$(cat "$stamp" 2>/dev/null || true)" = "$want" ]; then
  exit 0
fi
version=$(grep -Eo '^checkov==[0-9.]+' "$req" | sed 's/.*==//')
echo "installing checkov $version into $venv ..." >&2
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req"
echo "$want" > "$stamp"
