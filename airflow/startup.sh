#!/bin/sh
# MWAA startup script: runs on every scheduler, worker and web server container before Airflow starts.
# Keep it fast and idempotent; do not export reserved variables (AIRFLOW_HOME, PYTHONPATH is allowed).
export ENVIRONMENT_STAGE="${ENVIRONMENT_STAGE:-dev}"
