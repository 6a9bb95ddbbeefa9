#!/bin/sh
# Starts the Python example MCP server (server.py next to this script).
#
# - Lambda (a zip: server.py, this script and the dependencies vendored next to them with
#   `pip install --target`, plus the Web Adapter layer): the function handler is `run.sh` and
#   AWS_LAMBDA_EXEC_WRAPPER=/opt/bootstrap; the adapter runs this script from /var/task.
# - Container (the Dockerfile's CMD) and local runs: `./run.sh` from any working directory.
#
# The interpreter is $PYTHON if set (e.g. .venv-python-example/bin/python), else python3 on PATH.
# Configuration comes from the environment (PORT, HOST, LOG_LEVEL, MCP_ALLOWED_ORIGINS; see
# README.md). `exec` replaces the shell so Python receives SIGTERM directly and can drain.
set -eu
SCRIPT_DIR=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
export PYTHONPATH="$SCRIPT_DIR${PYTHONPATH:+:$PYTHONPATH}"
exec "${PYTHON:-python3}" "$SCRIPT_DIR/server.py"
