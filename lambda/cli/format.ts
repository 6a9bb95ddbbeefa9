/**
 * The human output of `mcp-probe`: the phases with their timings, the verdict, and what to
 * look at next. Pure: a result in, text out.
 */
import { describeSide } from '../canary/side';
import { escapeControls, nextStep, type ProbeResult, type ToolOutput } from '../probe';
import { table } from './ops/render';

/**
 * The `--json` line of a result: `JSON.stringify`, with the characters it leaves raw that a
 * terminal or a log viewer acts on (DEL, the C1 range such as U+009B CSI, the Unicode line
 * separators and the bidirectional controls) written as `\uXXXX` escapes. The JSON means the
 * same (`JSON.parse` gives back every character); only its bytes are safe to print.
 */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function ms(value: number | null): string {
  return value === null ? '       -' : `${String(value).padStart(5)} ms`;
}

/**
 * Formats a probe result for a terminal.
 *
 * @param url the URL probed (printed as given; credentials in it are not)
 * @param result the probe result
 */
export function formatHuman(url: string, result: ProbeResult): string {
  const t = result.timings;
  const e = escapeControls;
  const shown = (() => {
    try {
      // No credentials, and no query string: either may carry a secret.
      const u = new URL(url);
      return e(`${u.origin}${u.pathname}${u.search ? '?…' : ''}`);
    } catch {
      return '(invalid URL)';
    }
  })();
  const handshake = result.era ? e(`${result.era} ${result.protocolVersion}${result.server ? `, server ${result.server.name} ${result.server.version}`.trimEnd() : ''}`) : '';
  const list = result.toolCount !== null && t.toolsListMs !== null ? `${result.toolCount} tools (${result.toolsHash ?? 'no hash'})` : '';
  const lines = [
    `mcp-probe ${shown}`,
    `  connect    ${ms(t.connectMs)}`,
    `  tls        ${ms(t.tlsMs)}${result.certDaysRemaining !== null ? `   certificate expires in ${result.certDaysRemaining} days` : ''}`,
    `  handshake  ${ms(t.handshakeMs)}   ${handshake}`.trimEnd(),
    `  tools/list ${ms(t.toolsListMs)}   ${list}`.trimEnd(),
    `  tools/call ${ms(t.toolCallMs)}`,
    `  total      ${ms(t.totalMs)}`,
    // The server's request records of this run carry the same trace id (docs/per-tool.md).
    ...(result.traceId ? [`  trace id   ${result.traceId}`] : []),
  ];
  if (result.ok) {
    lines.push(`PASS ${e(result.message)}`);
    if (result.tools.length > 0) lines.push(`  tools: ${result.tools.map(e).join(', ')}`);
  } else {
    const where = [
      `${result.layer} layer`,
      ...(result.httpStatus !== null ? [`last HTTP status ${result.httpStatus}`] : []),
      ...(result.frontDoor ? [`front door ${result.frontDoor}`] : []),
    ].join(', ');
    lines.push(`FAIL ${result.failureClass} (${where})`);
    lines.push(`  ${e(result.message)}`);
    if (result.failureClass !== 'OK') lines.push(`Next: ${nextStep(result.failureClass, result.frontDoor, result.message)}`);
  }
  if (result.toolResult) lines.push(...formatToolResult(result.toolResult));
  return `${lines.join('\n')}\n`;
}

/**
 * The two verdicts of `--origin` side by side, and the side that broke (../canary/side).
 *
 * @param frontDoor the result of the probe of <url>
 * @param origin the result of the probe of the origin
 */
export function formatSides(frontDoor: ProbeResult, origin: ProbeResult): string {
  const row = (side: string, r: ProbeResult) => [side, r.ok ? 'PASS' : 'FAIL', r.failureClass, r.httpStatus === null ? '-' : String(r.httpStatus), `${r.timings.totalMs} ms`];
  const lines = [
    ...table([['SIDE', 'VERDICT', 'CLASS', 'HTTP', 'TOTAL'], row('front door', frontDoor), row('origin', origin)], new Set([3, 4]), ''),
    escapeControls(describeSide(frontDoor, origin)),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * The sentinel tool's result under the verdict: its text, indented, every line made safe for a
 * terminal (the text is the server's), and a note when it was cut.
 */
export function formatToolResult(output: ToolOutput): string[] {
  const lines = [`  tool result${output.isError ? ' (isError: true)' : ''}:`];
  const text = output.text === '' ? '(no content)' : output.text;
  for (const line of text.split(/\r?\n/)) lines.push(`    ${escapeControls(line)}`.trimEnd());
  if (output.truncated) {
    lines.push(`  (cut at ${output.text.length} of ${output.totalChars} characters; the tool's whole answer is not kept by the probe)`);
  }
  return lines;
}
