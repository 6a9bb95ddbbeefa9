/**
 * The start file of a Web Function (`AWS_LAMBDA_NODEJS_ENTRYPOINT`), written next to the user's
 * server by `McpWebFunctionCode`. Before the server module loads it sets `PORT` and `HOST` from
 * `AWS_LAMBDA_HTTP_ENDPOINT` (Web Functions set no `PORT`), and resolves `CDK_MCP_SECRETS` into
 * environment variables; then it loads `CDK_MCP_SERVER_ENTRY` (CommonJS or ES module). A secret
 * that cannot be read ends the process with one log line naming the variable and the ARN.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/web-functions-runtimes.html
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { portFromEndpoint, resolveSecrets } from './secrets';
import { START_ENV, START_LOG_PREFIX } from '../../src/contract/server-start';

async function start(): Promise<void> {
  const listen = portFromEndpoint(process.env[START_ENV.WEB_FUNCTION_ENDPOINT]);
  if (listen) Object.assign(process.env, listen);
  Object.assign(process.env, await resolveSecrets(process.env));
  const entry = process.env[START_ENV.SERVER_ENTRY] || 'index.js';
  await import(pathToFileURL(path.resolve(__dirname, entry)).href);
}

start().catch((e: Error) => {
  console.error(e.message.startsWith(START_LOG_PREFIX) ? e.message : `${START_LOG_PREFIX} ${e.stack ?? e.message}`);
  process.exit(1);
});
