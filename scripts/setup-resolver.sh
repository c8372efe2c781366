#!/usr/bin/env bash
# Creates the resolver venv used by `mwaa-gitops validate --resolve` (.venv-resolve in the package root, pip pinned in
# scripts/requirements-resolver.txt). Idempotent: does nothing when the pinned pip is already there.
# Python 3.9+ is needed only to run pip; the Python version resolved for is the environment's (--python-version).
set -euo pipefail
cd "$(dirname "$0")/.."
req=scripts/requirements-resolver.txt
venv="${MWAA_GITOPS_RESOLVER_VENV:-.venv-resolve}"
want=$(grep -Eo '^pip==[0-9.]+' "$req" | sed 's/.*==//')
if [ -x "$venv/bin/python" ] && [ "$("$venv/bin/python" -m pip --version 2>/dev/null | awk '{print $2}')" = "$want" ]; then
  exit 0
fi
echo "installing the requirements resolver (pip $want) into $venv ..." >&2
python3 -m venv "$venv"
# the user's pip configuration (extra indexes, global constraints) must not shape the resolver's own install
PIP_CONFIG_FILE=/dev/null "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"
# only pip: a stray setuptools would count as "installed" when resolving requirements
PIP_CONFIG_FILE=/dev/null "$venv/bin/python" -m pip uninstall --quiet --yes setuptools >/dev/null 2>&1 || true
