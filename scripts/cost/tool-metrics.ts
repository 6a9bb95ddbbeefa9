/**
 * The monthly price of the opt-in per-tool visibility of `McpToolMetrics` (`toolMetrics` of every
 * service kind): per-tool metrics for a number of tools, and the Contributor Insights rule at a
 * stated traffic. The defaults (dimensionless filters, the error-rate alarm) are priced from the
 * templates by ./cost.ts. Prices: ./prices.ts.
 */
import type { CostLine } from './cost';
import { PRICES } from './prices';

/** Custom metrics per listed tool: ToolCalls, ToolServerErrors and ToolDuration with its ToolName. */
export const METRICS_PER_TOOL = 3;

/** Tool counts `npm run cost` prices per-tool metrics for. */
export const TOOL_COUNTS = [10, 50];

/** Client tool calls a month the Contributor Insights rule is priced at (one record matched per call). */
export const TOOL_CALLS_PER_MONTH = 10_000_000;

/** Bytes of one request record (a `tools/call` record with every field, as the helpers write it): an assumption. */
export const RECORD_BYTES = 450;

/** The opt-in per-tool lines, by option. */
export interface ToolMetricsCost {
  readonly name: string;
  readonly lines: CostLine[];
}

/** What the opt-ins cost a month, and what the records themselves cost to ingest at the stated traffic. */
export function toolMetricsCosts(): ToolMetricsCost[] {
  const calls = TOOL_CALLS_PER_MONTH.toLocaleString('en-US');
  return [
    ...TOOL_COUNTS.map((n) => ({
      name: `per-tool metrics for ${n} tools (\`toolMetrics.tools\`)`,
      lines: [{
        item: `${METRICS_PER_TOOL} x ${n} = ${METRICS_PER_TOOL * n} custom metrics (each billed for the hours its tool has calls; every hour here)`,
        monthly: METRICS_PER_TOOL * n * PRICES.customMetricMonth,
      }],
    })),
    {
      name: `Contributor Insights rule (\`toolMetrics.contributorInsights\`) at ${calls} tool calls a month`,
      lines: [
        { item: 'one rule', monthly: PRICES.contributorInsightsRuleMonth },
        { item: `${calls} matched records`, monthly: (TOOL_CALLS_PER_MONTH / 1e6) * PRICES.contributorInsightsMatchedEventsMillion },
      ],
    },
    {
      name: `the request records themselves at ${calls} requests a month (the server's logs, with or without these options)`,
      lines: [
        { item: `${RECORD_BYTES} B a record ingested and stored a month`, monthly: (TOOL_CALLS_PER_MONTH * RECORD_BYTES / 1e9) * (PRICES.logIngestGb + PRICES.logStoreGbMonth) },
        { item: 'one run of a saved query or a dashboard table over a month of records (scanned once)', monthly: (TOOL_CALLS_PER_MONTH * RECORD_BYTES / 1e9) * PRICES.logsInsightsScannedGb },
      ],
    },
  ];
}
