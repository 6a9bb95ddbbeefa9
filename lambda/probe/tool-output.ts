/**
 * What a sentinel `tools/call` returned, as a person may read it: the text content, redacted
 * and cut; every other content block described, never shown raw (an image is `[image image/png
 * 1234 bytes]`). Pure.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server/tools#tool-result
 */
import { isJsonObject, previewJson } from './json';
import { redact } from './redact';

/** The most characters of a tool's text kept in a result. */
export const MAX_TOOL_TEXT = 4_000;

/** The result of the sentinel tool call, as reported. */
export interface ToolOutput {
  /** Whether the tool reported an error (`isError: true`). */
  isError: boolean;
  /**
   * The text content blocks, one after another (a blank line between two), other blocks described
   * in brackets, redacted, cut to {@link MAX_TOOL_TEXT} characters. The structured content as
   * JSON when there is no content block.
   */
  text: string;
  /** Characters of the whole text before it was cut (equal to the text's length when not cut). */
  totalChars: number;
  /** True when the text was cut. */
  truncated: boolean;
}

/** Bytes of base64 data, without decoding it. */
function base64Bytes(data: unknown): number {
  if (typeof data !== 'string') return 0;
  const clean = data.replace(/\s+/g, '');
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((clean.length * 3) / 4) - padding);
}

/** One content block as text: its text when it is text, otherwise a description in brackets. */
function describeBlock(block: unknown): string {
  if (!isJsonObject(block)) return '[content that is not an object]';
  const type = typeof block.type === 'string' ? block.type : 'untyped';
  const mime = typeof block.mimeType === 'string' ? ` ${block.mimeType}` : '';
  switch (type) {
    case 'text':
      return typeof block.text === 'string' ? block.text : '[text block without text]';
    case 'image':
    case 'audio':
      return `[${type}${mime} ${base64Bytes(block.data)} bytes]`;
    case 'resource_link':
      return `[resource link ${typeof block.uri === 'string' ? block.uri : '(no uri)'}]`;
    case 'resource': {
      const resource = isJsonObject(block.resource) ? block.resource : {};
      const uri = typeof resource.uri === 'string' ? resource.uri : '(no uri)';
      const size = typeof resource.text === 'string' ? `${resource.text.length} characters` : `${base64Bytes(resource.blob)} bytes`;
      return `[resource ${uri}${typeof resource.mimeType === 'string' ? ` ${resource.mimeType}` : ''} ${size}]`;
    }
    default:
      return `[${type.slice(0, 40)} content]`;
  }
}

/**
 * Summarises a `tools/call` result.
 *
 * @param result the JSON-RPC result of the call
 * @param secrets known secret values to remove
 * @param max the most characters kept @default MAX_TOOL_TEXT
 */
export function toolOutput(result: Record<string, unknown>, secrets: readonly string[] = [], max = MAX_TOOL_TEXT): ToolOutput {
  const blocks = Array.isArray(result.content) ? result.content : [];
  const whole = blocks.length > 0
    ? blocks.map(describeBlock).join('\n\n')
    : result.structuredContent !== undefined ? previewJson(result.structuredContent, 16 * max) : '';
  // Redaction reads a bounded prefix (a huge answer costs no more than this), then the text is cut.
  const clean = redact(whole.slice(0, 16 * max), secrets);
  const truncated = whole.length > max || clean.length > max;
  return { isError: result.isError === true, text: truncated ? clean.slice(0, max) : clean, totalChars: whole.length, truncated };
}
