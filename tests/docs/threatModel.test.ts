// A promise in docs/threat-model.md is a test in CI: every row of its promise table names the test
// that checks it, and this suite fails when a named test is missing, renamed or skipped.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

const PROMISE_TABLE_HEADING = '## Promises and the tests that keep them';
/** `tests/…/file.test.ts` › test title */
const TEST_REFERENCE = /`(tests\/[\w/.-]+\.test\.ts)` › ([^|]+?)\s*(?=<br>|$)/g;

interface PromiseRow {
  readonly promise: string;
  readonly tests: readonly { readonly file: string; readonly title: string }[];
}

const repoFile = (path: string): Promise<string> =>
  readFile(new URL(`../../${path}`, import.meta.url), 'utf8');

async function promiseRows(): Promise<PromiseRow[]> {
  const doc = await repoFile('docs/threat-model.md');
  const start = doc.indexOf(PROMISE_TABLE_HEADING);
  if (start < 0) throw new Error(`docs/threat-model.md has no “${PROMISE_TABLE_HEADING}”`);
  const section = doc.slice(start + PROMISE_TABLE_HEADING.length).split('\n## ')[0] ?? '';
  const rows = section
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2); // the header and its separator
  return rows.map((row) => {
    const cells = row.split('|').map((cell) => cell.trim());
    const promise = cells[1] ?? '';
    const tests = [...(cells[2] ?? '').matchAll(TEST_REFERENCE)].map((match) => ({
      file: match[1] ?? '',
      title: (match[2] ?? '').trim(),
    }));
    return { promise, tests };
  });
}

/**
 * The string literals a test file holds: test and suite titles among them, including those of
 * `it.each(…)('title %s')`, which a call pattern would miss.
 */
function stringLiterals(source: string): Set<string> {
  const literals = new Set<string>();
  for (const match of source.matchAll(/(['"`])((?:\\.|(?!\1)[^\\\n])*)\1/g)) {
    literals.add((match[2] ?? '').replace(/\\(.)/g, '$1'));
  }
  return literals;
}

describe('docs/threat-model.md', () => {
  it('has a promise table, and every promise names at least one test', async () => {
    const rows = await promiseRows();
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) expect(row.tests.length, row.promise).toBeGreaterThan(0);
  });

  it('names only tests that exist and run (not skipped)', async () => {
    const sources = new Map<string, string>();
    for (const row of await promiseRows()) {
      for (const { file, title } of row.tests) {
        let source = sources.get(file);
        if (source === undefined) {
          source = await repoFile(file);
          sources.set(file, source);
        }
        expect(stringLiterals(source), `${row.promise}: ${file} › ${title}`).toContain(title);
        expect(source, `${file} skips tests`).not.toMatch(/\b(?:it|test|describe)\.skip\(/);
      }
    }
  });
});
