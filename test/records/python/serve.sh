#!/bin/sh
# Starts test/records/python/serve.py with $PYTHON (a virtualenv's python) for the $KIND server (mcp or fastmcp).
set -eu
exec "$PYTHON" "$(dirname -- "$0")/serve.py" "$KIND"
