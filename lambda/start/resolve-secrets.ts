/**
 * The Node.js half of the Lambda start wrapper (`start.sh`): resolves `CDK_MCP_SECRETS` and prints
 * `export NAME='value'` lines on stdout, which the wrapper `eval`s before it execs the Web Adapter's
 * wrapper (and so the server's start script). Nothing but those lines goes to stdout; on failure one
 * line naming the variable and the secret's ARN goes to stderr (the function's log) and the exit
 * status is 1, which fails the start.
 */
import { resolveSecrets, shellExports } from './secrets';
import { START_LOG_PREFIX } from '../../src/contract/server-start';

resolveSecrets(process.env).then(
  (values) => process.stdout.write(shellExports(values)),
  (e: Error) => {
    process.stderr.write(`${e.message.startsWith(START_LOG_PREFIX) ? '' : `${START_LOG_PREFIX} `}${e.message}\n`);
    process.exitCode = 1;
  },
);
