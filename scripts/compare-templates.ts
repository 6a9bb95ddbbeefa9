/**
 * Compares the example stacks' templates of two cloud-assembly folders, ignoring what only
 * changes with the bundled code (asset hashes, the version logical id suffix derived from them).
 * Used to prove that a refactor changed no resource: `ts-node scripts/compare-templates.ts <before> <after>`.
 * Exit 0 when every template is the same, 1 with the differing paths otherwise.
 */
import * as fs from 'fs';
import * as path from 'path';

/** A template with asset hashes and hash-suffixed logical ids replaced by placeholders. */
export function normalizeTemplate(text: string): unknown {
  const stripped = text
    .replace(/[0-9a-f]{64}(\.zip)?/g, '<asset-hash>$1')
    .replace(/(CurrentVersion[0-9A-F]{8})[0-9a-f]{32}/g, '$1<code-hash>');
  return JSON.parse(stripped);
}

/** The paths (a.b.c) where two JSON values differ, at most `limit` of them. */
export function jsonDifferences(a: unknown, b: unknown, at = '', limit = 20, out: string[] = []): string[] {
  if (out.length >= limit) return out;
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || a === null || b === null || typeof a !== 'object') {
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push(at || '<root>');
    return out;
  }
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  for (const k of keys) {
    jsonDifferences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], at ? `${at}.${k}` : k, limit, out);
  }
  return out;
}

function main(before: string, after: string): number {
  let failures = 0;
  for (const app of fs.readdirSync(before).filter((f) => fs.statSync(path.join(before, f)).isDirectory())) {
    const dir = path.join(before, app);
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.template.json'))) {
      const other = path.join(after, app, file);
      if (!fs.existsSync(other)) {
        console.log(`MISSING ${app}/${file}`);
        failures++;
        continue;
      }
      const diffs = jsonDifferences(normalizeTemplate(fs.readFileSync(path.join(dir, file), 'utf8')), normalizeTemplate(fs.readFileSync(other, 'utf8')));
      console.log(`${diffs.length === 0 ? 'SAME' : 'DIFF'} ${app}/${file}${diffs.length ? `\n  ${diffs.join('\n  ')}` : ''}`);
      failures += diffs.length ? 1 : 0;
    }
  }
  return failures === 0 ? 0 : 1;
}

if (require.main === module) {
  const [before, after] = process.argv.slice(2);
  if (!before || !after) {
    console.error('usage: ts-node scripts/compare-templates.ts <before-assemblies> <after-assemblies>');
    process.exit(2);
  }
  process.exit(main(before, after));
}
