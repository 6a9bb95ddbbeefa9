/**
 * The operator commands of `mcp-probe`: `status`, `maintenance start|stop|status` and `canary`,
 * against a deployed service in AWS. `lambda/cli/main.ts` hands over here when the first
 * argument is one of them. Errors are one line on stderr, never a stack trace.
 *
 * Exit status: 0 ok (healthy, in maintenance, the canary passed), 1 the answer is no (unhealthy,
 * not in maintenance, the canary's probe failed), 2 usage errors and cannot tell (service not
 * found, AWS errors, INSUFFICIENT_DATA).
 */
import { AwsCallError, makeClients, type AwsClients, type AwsSettings } from './aws';
import { CanaryError, findCanary, invokeCanary } from './canary';
import { closeWindow, openWindow, readWindow, type MaintenanceTarget } from './maintenance';
import { parseDuration, parseOpsArgs, type OpsArgs } from './options';
import { when } from './render';
import { findStackService, StackServiceError } from './stack';
import { formatStatus, serviceStatus, ServiceNotFoundError } from './status';
import { OPS_USAGE } from './usage';
import { escapeControls, oneLine } from '../../probe';
import { formatHuman } from '../format';
import { didYouMean } from '../suggest';

/** Output streams. */
interface Io {
  readonly out: NodeJS.WritableStream;
  readonly err: NodeJS.WritableStream;
}

type Command = (args: OpsArgs, service: string, clients: AwsClients, io: Io) => Promise<number>;

const maintenanceTarget = (args: OpsArgs, service: string, clients: AwsClients): MaintenanceTarget =>
  ({ cloudwatch: clients.cloudwatch, namespace: args.namespace, serviceName: service });

function print(io: Io, args: OpsArgs, json: unknown, text: string): void {
  io.out.write(args.json ? `${JSON.stringify(json)}\n` : `${text}\n`);
}

const MAINTENANCE: Record<string, { readonly flags: readonly string[]; readonly run: Command }> = {
  start: {
    flags: ['for'],
    run: async (args, service, clients, io) => {
      const minutes = parseDuration(args.values.get('for')!);
      const write = await openWindow(maintenanceTarget(args, service, clients), minutes as number);
      const until = new Date(Date.parse(write.to) + 60_000).toISOString();
      print(io, args, { service, namespace: args.namespace, action: 'start', open: true, until, ...write },
        `maintenance window of ${service} open until ${when(until)} (${minutes} min; ${write.datapoints} datapoints of MaintenanceWindow in ${args.namespace})`);
      return 0;
    },
  },
  stop: {
    flags: [],
    run: async (args, service, clients, io) => {
      const write = await closeWindow(maintenanceTarget(args, service, clients));
      print(io, args, { service, namespace: args.namespace, action: 'stop', open: false, ...write },
        `maintenance window of ${service} closed at ${when(write.at)} (${write.datapoints} datapoints of MaintenanceWindow in ${args.namespace})`);
      return 0;
    },
  },
  status: {
    flags: [],
    run: async (args, service, clients, io) => {
      const state = await readWindow(maintenanceTarget(args, service, clients));
      print(io, args, { service, namespace: args.namespace, ...state }, state.open
        ? `${service} is IN MAINTENANCE until ${when(state.until)}${state.since ? `, since ${when(state.since)}` : ', since over an hour ago'}`
        : `${service} is not in maintenance${state.since ? ` (the last window ended ${when(state.since)})` : ' (no window in the last hour)'}`);
      return state.open ? 0 : 1;
    },
  },
};

const COMMANDS: Record<string, { readonly flags: readonly string[]; readonly run: Command }> = {
  status: {
    flags: [],
    run: async (args, service, clients, io) => {
      const status = await serviceStatus(clients.cloudwatch, args.namespace, service);
      print(io, args, status, formatStatus(status).trimEnd());
      return status.healthy === true ? 0 : status.healthy === false ? 1 : 2;
    },
  },
  canary: {
    flags: ['function'],
    run: async (args, service, clients, io) => {
      const named = args.values.get('function');
      const canary = named ? { name: named, arn: named, service } : await findCanary(clients.lambda, service);
      const run = await invokeCanary(clients.lambda, canary);
      const side = run.side;
      io.out.write(args.json
        ? `${JSON.stringify(side ? { ...run.result, origin: side.origin, failedSide: side.failedSide } : run.result)}\n`
        : `${formatHuman(run.target, run.result)}${side ? `${escapeControls(side.message)}\n` : ''}`);
      if (!args.json) io.err.write(`(probed by the canary function ${canary.name})\n`);
      return run.result.ok ? 0 : 1;
    },
  },
};

/**
 * Runs an operator command.
 *
 * @param argv the arguments, starting with the command word
 * @param clients makes the AWS clients (tests may inject their own)
 * @returns the exit status
 */
export async function runOps(argv: readonly string[], env: NodeJS.ProcessEnv, out: NodeJS.WritableStream, err: NodeJS.WritableStream,
  clients: (settings: AwsSettings) => AwsClients = makeClients): Promise<number> {
  const io: Io = { out, err };
  const word = argv[0] as keyof typeof OPS_USAGE;
  const usage = OPS_USAGE[word];
  let name = `mcp-probe ${word}`;
  const fail = (message: string) => {
    err.write(`${name}: ${message}\n`);
    return 2;
  };
  let command = COMMANDS[word];
  let rest = argv.slice(1);
  if (word === 'maintenance') {
    if (rest[0] === '-h' || rest[0] === '--help' || rest.length === 0) {
      if (rest.length === 0) return fail(`missing action: start, stop or status\n\n${usage}`);
      out.write(`${usage}\n`);
      return 0;
    }
    command = MAINTENANCE[rest[0]];
    if (!command) {
      return fail(`unknown action ${JSON.stringify(rest[0])}${didYouMean(rest[0], Object.keys(MAINTENANCE)) || ': use start, stop or status; see mcp-probe maintenance --help'}`);
    }
    name = `${name} ${rest[0]}`;
    rest = rest.slice(1);
  }
  const args = parseOpsArgs(rest, env, command.flags);
  // A did-you-mean is the whole answer; any other problem points at the command's help.
  if (typeof args === 'string') return fail(args.endsWith('?') ? args : `${args}; see ${name.split(' ').slice(0, 2).join(' ')} --help`);
  if (args.help) {
    out.write(`${usage}\n`);
    return 0;
  }
  const stack = args.values.get('stack');
  if (stack !== undefined && args.positional.length > 0) {
    return fail(`give the service as <service> or find it with --stack ${stack}, not both (with --stack, choose among several with --service)`);
  }
  if (stack === undefined && args.values.has('service')) {
    return fail('--service chooses among the services of a stack: give it with --stack <name>, or give the service name as <service>');
  }
  if (stack === undefined && (args.positional.length !== 1 || args.positional[0].trim() === '')) {
    return fail(args.positional.length === 0
      ? 'missing <service>: give the service name (the ServiceName of its metrics), or --stack <name> to find it from its stack'
      : `expected one <service>, got ${args.positional.length}: ${args.positional.join(' ')}`);
  }
  if (name.endsWith('start')) {
    if (!args.values.has('for')) return fail('missing --for <duration>, e.g. --for 30m');
    const minutes = parseDuration(args.values.get('for')!);
    if (typeof minutes === 'string') return fail(minutes);
  }
  try {
    const aws = clients(args.aws);
    let service = args.positional[0];
    if (stack !== undefined) {
      const found = await findStackService(aws.cloudformation, stack, args.values.get('service'));
      service = found.serviceName;
      if (!args.json) err.write(`(service ${service} of the stack ${stack}${found.url ? `, MCP URL ${found.url}` : ''})\n`);
    }
    return await command.run(args, service, aws, io);
  } catch (e) {
    const known = [AwsCallError, ServiceNotFoundError, CanaryError, StackServiceError];
    if (known.some((type) => e instanceof type)) return fail((e as Error).message);
    return fail(`unexpected error: ${oneLine(e instanceof Error ? e.message : String(e))}`);
  }
}

export { CredentialsError, signingCredentials } from './credentials';
export type { SigningCredentials } from './credentials';
