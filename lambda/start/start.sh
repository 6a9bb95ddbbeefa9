#!/bin/sh
# Written by cdk-mcp (AWS_LAMBDA_EXEC_WRAPPER when the service has `secrets`): resolves each secret
# in CDK_MCP_SECRETS into its environment variable, then execs the Lambda Web Adapter's wrapper,
# which starts the server's start script with these variables. Values never reach the log; a
# secret that cannot be read fails the start with a line naming the variable and the secret ARN.
# Node.js runtimes run the Node.js resolver, the others python3 (Lambda's PATH has /var/lang/bin).
dir=$(dirname "$0")
if command -v node >/dev/null 2>&1; then
  exports=$(node "$dir/resolve-secrets.js") || exit 1
elif command -v python3 >/dev/null 2>&1; then
  exports=$(python3 "$dir/resolve_secrets.py") || exit 1
else
  echo "cdk-mcp start: secrets need node or python3 on PATH to be resolved; this runtime has neither. Use secretArns and read the secrets in the server." >&2
  exit 1
fi
eval "$exports"
exec "${CDK_MCP_NEXT_WRAPPER:-/opt/bootstrap}" "$@"
