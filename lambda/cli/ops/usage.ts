/**
 * The operator commands' names, one-line summaries and usage texts. Light on purpose: the
 * top-level `--help`, the did-you-mean and `<command> --help` read them without loading the AWS
 * SDK, which only the commands themselves need (./index, a bundle of its own).
 */
import { AWS_FLAGS_HELP, STACK_FLAGS_HELP } from './options';
import { MAINTENANCE_MAX_MINUTES } from '../../../src/contract/operations';

/** The first words that select an operator command. */
export const OPS_COMMANDS = ['status', 'maintenance', 'canary'] as const;

/** An operator command's first word. */
export type OpsCommand = typeof OPS_COMMANDS[number];

/** One line per operator command, for the top-level `--help`. */
export const OPS_SUMMARIES: Readonly<Record<OpsCommand, string>> = {
  status: "A deployed service's health: alarms, availability, latency, top failure classes.",
  maintenance: "Open, close or show a service's maintenance window (alarm actions suppressed).",
  canary: "Run the service's deployed canary now and print its probe result.",
};

const NAMESPACE_HELP = '  --namespace <ns>        CloudWatch namespace of the probe metrics (default MCP).';
const JSON_HELP = '  --json                  Print one JSON object (for pipelines) instead of text.';

/** Usage of each command. */
export const OPS_USAGE: Readonly<Record<OpsCommand, string>> = {
  status: `Usage: mcp-probe status <service> [options]
       mcp-probe status --stack <stack> [--service <name>] [options]

Shows a deployed MCP service's health from CloudWatch: its health (composite) alarm and every
alarm under it with state and since when, its maintenance window, availability and p90 probe
latency over the last hour, day and week with a trend, and the top failure classes.

Options:
${JSON_HELP}
${NAMESPACE_HELP}
${STACK_FLAGS_HELP}
  -h, --help              Show this help.
${AWS_FLAGS_HELP}

Exit status: 0 healthy, 1 unhealthy (the health alarm is in ALARM), 2 cannot tell (service not
found, AWS error, alarm in INSUFFICIENT_DATA) or bad usage.`,
  maintenance: `Usage: mcp-probe maintenance start <service> --for <duration> [options]
       mcp-probe maintenance stop <service> [options]
       mcp-probe maintenance status <service> [options]
       (or --stack <stack> [--service <name>] instead of <service>)

Opens, closes or shows a service's maintenance window: while it is open, the service's alarm
actions are suppressed. The window is a CloudWatch metric (MaintenanceWindow) written ahead
of time, so it ends by itself: no process stays running.
New datapoints can take a minute or two to show in 'status'.

Options:
  --for <duration>        start: how long, 1m to ${MAINTENANCE_MAX_MINUTES / 60}h (30m, 90m, 1h30m). Run start again to extend.
${JSON_HELP}
${NAMESPACE_HELP}
${STACK_FLAGS_HELP}
  -h, --help              Show this help.
${AWS_FLAGS_HELP}

Exit status: start/stop 0 written; status 0 in maintenance, 1 not in maintenance;
2 AWS error or bad usage.`,
  canary: `Usage: mcp-probe canary <service> [options]
       mcp-probe canary --stack <stack> [--service <name>] [options]

Runs the service's deployed canary function once, now, and prints its probe result exactly as a
local 'mcp-probe <url>' does: the probe from inside AWS, with the canary's network, auth and
configuration. The run is a datapoint of the service's probe metrics like any other.

Options:
  --function <name|arn>   Invoke this function instead of looking the canary up by service name.
${JSON_HELP}
${STACK_FLAGS_HELP}
  -h, --help              Show this help.
${AWS_FLAGS_HELP}

Exit status: 0 the probe passed, 1 the probe failed (see the failure class), 2 canary not found,
the canary function failed, AWS error or bad usage.`,
};

