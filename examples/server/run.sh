#!/bin/sh
# Starts the example MCP server from its esbuild bundle (dist/server.js next to this script).
#
# - Lambda (zip + Lambda Web Adapter layer): the function handler is `run.sh` and
#   AWS_LAMBDA_EXEC_WRAPPER=/opt/bootstrap; the adapter runs this script from /var/task.
# - Container (Dockerfile CMD) and local runs: `./run.sh` from any working directory.
#
# Configuration comes from the environment (PORT, HOST, MCP_SESSION_MODE, ...; see README.md).
# `exec` replaces the shell so node receives SIGTERM directly and can drain.
set -eu
SCRIPT_DIR=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
exec node "$SCRIPT_DIR/dist/server.js"
