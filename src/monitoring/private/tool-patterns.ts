/**
 * The CloudWatch metric filter patterns and Logs Insights queries that read the request record
 * (src/contract/request-record.ts), derived from the contract's field paths so a rename cannot
 * drift. Internal: used by `McpToolMetrics` and checked against recorded lines in tests.
 *
 * Filter syntax: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
 * (JSON selectors `$.a.b`, `=`/`!=` on strings and numbers, `= *` for "present", `IS TRUE`,
 * `NOT EXISTS`, `&&`, `||`, parentheses; a pattern is at most 1,024 characters: PutMetricFilter's
 * `filterPattern` constraint, https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutMetricFilter.html).
 * Insights syntax: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax.html
 */
import {
  CLIENT_FAULT_RPC_CODES, REQUEST_OUTCOMES, REQUEST_RECORD, REQUEST_RECORD_MARKER,
} from '../../contract/request-record';

/** The longest filter pattern CloudWatch Logs accepts (PutMetricFilter `filterPattern`). */
export const MAX_FILTER_PATTERN_LENGTH = 1024;

/** What an MCP tool name may be: 1 to 128 of `A-Z a-z 0-9 _ - .` (MCP 2025-11-25 and later, "Tool names"). */
export const TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

const sel = (path: string) => `$.${path}`;

/** The terms every tool-call pattern starts with: a request record of a `tools/call`. */
const TOOL_CALL_TERMS = [
  `${sel(REQUEST_RECORD.MARKER)} = "${REQUEST_RECORD_MARKER}"`,
  `${sel(REQUEST_RECORD.METHOD)} = "tools/call"`,
];

/**
 * A server error: a JSON-RPC error outcome whose code is not one the conventions call the
 * client's fault (or that has no code: a handler that threw or timed out), or a tool error
 * (`isError: true`) of a registered tool. A tool error of an unregistered name is the SDK's
 * answer to a client's typo, not the server's fault.
 */
export const SERVER_ERROR_TERM = '('
  + `(${sel(REQUEST_RECORD.OUTCOME)} = "${REQUEST_OUTCOMES.ERROR}" && (${sel(REQUEST_RECORD.RPC_CODE)} NOT EXISTS || (`
  + CLIENT_FAULT_RPC_CODES.map((code) => `${sel(REQUEST_RECORD.RPC_CODE)} != ${code}`).join(' && ')
  + ')))'
  + ` || (${sel(REQUEST_RECORD.OUTCOME)} = "${REQUEST_OUTCOMES.TOOL_ERROR}" && ${sel(REQUEST_RECORD.TOOL_REGISTERED)} IS TRUE)`
  + ')';

const braces = (terms: string[]) => `{ ${terms.join(' && ')} }`;

/** The metric filter patterns of the default (dimensionless) tool metrics. */
export const TOOL_PATTERNS = {
  /** Every `tools/call` record. */
  calls: braces(TOOL_CALL_TERMS),
  /** The server's errors among them ({@link SERVER_ERROR_TERM}). */
  serverErrors: braces([...TOOL_CALL_TERMS, SERVER_ERROR_TERM]),
  /** Every `tools/call` record with a duration (the metric value's field must be matched). */
  duration: braces([...TOOL_CALL_TERMS, `${sel(REQUEST_RECORD.DURATION_MS)} = *`]),
} as const;

/** The metric value of the duration filters. */
export const DURATION_VALUE = sel(REQUEST_RECORD.DURATION_MS);

/** The dimension value of the per-tool filters. */
export const TOOL_DIMENSION_VALUE = sel(REQUEST_RECORD.TOOL);

/**
 * The per-tool patterns: `kind`'s pattern restricted to registered tools among `tools`, split into
 * as few patterns as fit in {@link MAX_FILTER_PATTERN_LENGTH} each (one metric filter per chunk,
 * all publishing the same metric). Names outside the list never match, so a client inventing
 * names cannot add a dimension value.
 */
export function perToolPatterns(kind: keyof typeof TOOL_PATTERNS, tools: readonly string[]): string[] {
  const base = TOOL_PATTERNS[kind].slice(2, -2);
  const head = `${base} && ${sel(REQUEST_RECORD.TOOL_REGISTERED)} IS TRUE && (`;
  const render = (names: string[]) => `{ ${head}${names.map((n) => `${sel(REQUEST_RECORD.TOOL)} = "${n}"`).join(' || ')}) }`;
  const chunks: string[][] = [];
  for (const name of tools) {
    const last = chunks[chunks.length - 1];
    if (last && render([...last, name]).length <= MAX_FILTER_PATTERN_LENGTH) {
      last.push(name);
    } else {
      chunks.push([name]);
    }
  }
  return chunks.map(render);
}

/** The Logs Insights filter of a `tools/call` record. */
const INSIGHTS_TOOL_CALLS = `filter ${REQUEST_RECORD.MARKER} = "${REQUEST_RECORD_MARKER}" and ${REQUEST_RECORD.METHOD} = "tools/call"`;

/**
 * The Logs Insights condition of a server error (the same rule as {@link SERVER_ERROR_TERM}). How
 * Insights compares a JSON boolean is not documented: both spellings are accepted.
 */
const INSIGHTS_SERVER_ERROR = `((${REQUEST_RECORD.OUTCOME} = "${REQUEST_OUTCOMES.ERROR}" and (not ispresent(${REQUEST_RECORD.RPC_CODE}) or ${REQUEST_RECORD.RPC_CODE} not in [${CLIENT_FAULT_RPC_CODES.join(', ')}]))`
  + ` or (${REQUEST_RECORD.OUTCOME} = "${REQUEST_OUTCOMES.TOOL_ERROR}" and (${REQUEST_RECORD.TOOL_REGISTERED} = 1 or ${REQUEST_RECORD.TOOL_REGISTERED} = "true")))`;

/** What a trace-id query holds until the user pastes a trace id in. */
export const TRACE_ID_PLACEHOLDER = 'PASTE-THE-32-HEX-TRACE-ID';

/** The Logs Insights queries: saved as query definitions and run by dashboard widgets. */
export const TOOL_QUERIES = {
  /** Calls, errors of any kind (records with an `error.type`) and p95 per tool. */
  perTool: [
    INSIGHTS_TOOL_CALLS,
    `stats count(*) as calls, count(${REQUEST_RECORD.ERROR_TYPE}) as errors, pct(${REQUEST_RECORD.DURATION_MS}, 95) as p95_ms by ${REQUEST_RECORD.TOOL}`,
    'sort calls desc',
    'limit 100',
  ],
  /** The tools with the most server errors, by error type. */
  failingMost: [
    `${INSIGHTS_TOOL_CALLS} and ${INSIGHTS_SERVER_ERROR}`,
    `stats count(*) as server_errors by ${REQUEST_RECORD.TOOL}, ${REQUEST_RECORD.ERROR_TYPE}`,
    'sort server_errors desc',
    'limit 20',
  ],
  /** The tools with the slowest p95. */
  slowest: [
    INSIGHTS_TOOL_CALLS,
    `stats pct(${REQUEST_RECORD.DURATION_MS}, 95) as p95_ms, max(${REQUEST_RECORD.DURATION_MS}) as max_ms, count(*) as calls by ${REQUEST_RECORD.TOOL}`,
    'sort p95_ms desc',
    'limit 20',
  ],
  /** One trace's records (every method), to fill in with a trace id from a failed probe. */
  trace: [
    `# Replace ${TRACE_ID_PLACEHOLDER} with the trace id of mcp-probe's result or the canary's log line.`,
    `fields @timestamp, ${REQUEST_RECORD.METHOD}, ${REQUEST_RECORD.TOOL}, ${REQUEST_RECORD.OUTCOME}, ${REQUEST_RECORD.ERROR_TYPE}, ${REQUEST_RECORD.RPC_CODE}, ${REQUEST_RECORD.DURATION_MS}, ${REQUEST_RECORD.CLIENT_NAME}`,
    `filter ${REQUEST_RECORD.MARKER} = "${REQUEST_RECORD_MARKER}" and ${REQUEST_RECORD.TRACE_ID} = "${TRACE_ID_PLACEHOLDER}"`,
    'sort @timestamp asc',
  ],
  /** Requests and errors per client name and version (every method). */
  perClient: [
    `filter ${REQUEST_RECORD.MARKER} = "${REQUEST_RECORD_MARKER}"`,
    `stats count(*) as requests, count(${REQUEST_RECORD.ERROR_TYPE}) as errors by ${REQUEST_RECORD.CLIENT_NAME}, ${REQUEST_RECORD.CLIENT_VERSION}`,
    'sort requests desc',
    'limit 50',
  ],
} as const;
