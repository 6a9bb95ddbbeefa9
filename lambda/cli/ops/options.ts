/**
 * Argument parsing of the operator commands (`status`, `maintenance`, `canary`): the service
 * name, the AWS settings every command shares, and each command's own flags. Pure.
 */
import type { AwsSettings } from './aws';
import { DEFAULT_METRIC_NAMESPACE } from '../../../src/contract/canary-env';
import { MAINTENANCE_MAX_MINUTES } from '../../../src/contract/operations';
import { didYouMean } from '../suggest';

/** Flags that take a value, shared by every command. */
export const AWS_FLAGS_HELP = `AWS options (the standard AWS configuration applies when they are not given):
  --region <region>       AWS region (default: AWS_REGION, then the profile's region).
  --profile <name>        Named profile of ~/.aws/config (default: AWS_PROFILE).
  --endpoint-url <url>    Send the AWS calls to this endpoint (default: AWS_ENDPOINT_URL).`;

/** The flags that find a service from its stack, shared by every command. */
export const STACK_FLAGS_HELP = `  --stack <name>          Find the service from this CloudFormation stack's outputs instead of
                          naming it (the outputs cdk deploy printed; needs cloudformation:DescribeStacks).
  --service <name>        With --stack: the service to use when the stack has several.`;

/** A parsed command line of an operator command. */
export interface OpsArgs {
  readonly positional: readonly string[];
  readonly json: boolean;
  readonly help: boolean;
  readonly aws: AwsSettings;
  readonly namespace: string;
  /** Other value flags, by name (without dashes). */
  readonly values: ReadonlyMap<string, string>;
}

const SHARED = ['region', 'profile', 'endpoint-url', 'namespace', 'stack', 'service'];

/**
 * Parses the arguments after the command words.
 *
 * @param extra value flags this command accepts besides the shared ones (names without dashes)
 * @returns the arguments, or a usage error message
 */
export function parseOpsArgs(argv: readonly string[], env: NodeJS.ProcessEnv, extra: readonly string[] = []): OpsArgs | string {
  const accepted = new Set([...SHARED, ...extra]);
  const positional: string[] = [];
  const values = new Map<string, string>();
  let json = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') {
      json = true;
    } else if (arg === '-h' || arg === '--help') {
      help = true;
    } else if (!arg.startsWith('--')) {
      positional.push(arg);
    } else {
      const [flag, inline] = arg.includes('=') ? [arg.slice(2, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg.slice(2), undefined];
      if (!accepted.has(flag)) return `unknown option --${flag}${didYouMean(flag, [...accepted, 'json', 'help'].map((f) => `--${f}`), false)}`;
      const value = inline ?? argv[++i];
      if (value === undefined || value === '') return `--${flag} needs a value`;
      if (values.has(flag)) return `--${flag} is given twice; give it once`;
      values.set(flag, value);
    }
  }
  const region = values.get('region') ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  const profile = values.get('profile') ?? env.AWS_PROFILE;
  const endpoint = values.get('endpoint-url') ?? env.AWS_ENDPOINT_URL;
  if (endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(endpoint)) return `--endpoint-url ${JSON.stringify(endpoint)} is not an http(s) URL`;
  const namespace = values.get('namespace') ?? DEFAULT_METRIC_NAMESPACE;
  return {
    positional,
    json,
    help,
    aws: { ...(region ? { region } : {}), ...(profile ? { profile } : {}), ...(endpoint ? { endpoint } : {}) },
    namespace,
    values,
  };
}

/**
 * Parses a window length: `30m`, `2h`, `1h30m`, or a number of minutes.
 *
 * @returns whole minutes, or a usage error message
 */
export function parseDuration(text: string): number | string {
  const match = /^(?:(\d+)h)?(?:(\d+)m?)?$/.exec(text.trim());
  const minutes = match && (match[1] !== undefined || match[2] !== undefined) ? Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0) : NaN;
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAINTENANCE_MAX_MINUTES) {
    return `--for ${JSON.stringify(text)} must be a duration from 1m to ${MAINTENANCE_MAX_MINUTES / 60}h, such as 30m, 90m or 1h30m (CloudWatch accepts datapoints up to 2 hours ahead; run start again to extend)`;
  }
  return minutes;
}
