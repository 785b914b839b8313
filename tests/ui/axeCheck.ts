/**
 * axe-core in the window's tests: any UI test can check what a page shows now with
 * `await expectNoSeriousAxeViolations(page, 'settings')`, which fails on every serious or
 * critical violation and prints each one readably (rule, what it means, which elements, why).
 * `expectAccessibleInBothThemes` does the same once with the system in light mode and once in dark.
 *
 * axe runs with its default rules (WCAG 2.0–2.2 A and AA and best practices, experimental ones
 * off): nothing is disabled, so a finding is fixed at its cause or the test fails.
 */
import axe from 'axe-core';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** What the checks fail on; moderate and minor findings are printed by `axeFindings` only. */
const FAILING_IMPACTS: ReadonlySet<string> = new Set(['serious', 'critical']);

/** One violation of one rule, as the tests print and count it. */
export interface AxeFinding {
  readonly rule: string;
  readonly impact: string;
  readonly help: string;
  /** Each offending element: its CSS path, its markup (shortened) and axe's reason. */
  readonly elements: readonly { target: string; html: string; why: string }[];
}

/** Every axe violation on the page as it is now, at any impact. */
export async function axeFindings(page: Page): Promise<AxeFinding[]> {
  // A page that navigated or reloaded lost the script: inject it again. The page's CSP does not
  // apply to what the test evaluates through the DevTools protocol.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axe.source);
  return page.evaluate(async () => {
    const engine = (window as unknown as { axe: typeof axe }).axe;
    const results = await engine.run(document, { resultTypes: ['violations'] });
    return results.violations.map((violation) => ({
      rule: violation.id,
      impact: violation.impact ?? 'unknown',
      help: violation.help,
      elements: violation.nodes.map((node) => ({
        target: node.target.join(' '),
        html: node.html.length > 200 ? `${node.html.slice(0, 200)}…` : node.html,
        why: (node.failureSummary ?? '').replace(/\s+/gu, ' ').trim(),
      })),
    }));
  });
}

/** The findings, one readable block per rule. */
export function describeFindings(screenName: string, findings: readonly AxeFinding[]): string {
  return findings
    .map((finding) =>
      [
        `${screenName}: ${finding.rule} (${finding.impact}): ${finding.help}`,
        ...finding.elements.map(
          (element) => `  - ${element.target}\n    ${element.html}\n    ${element.why}`,
        ),
      ].join('\n'),
    )
    .join('\n');
}

/** Fails, listing them, when the page shows any serious or critical axe violation now. */
export async function expectNoSeriousAxeViolations(page: Page, screenName: string): Promise<void> {
  const failing = (await axeFindings(page)).filter((finding) =>
    FAILING_IMPACTS.has(finding.impact),
  );
  expect(describeFindings(screenName, failing), `axe on ${screenName}`).toBe('');
}

/**
 * The check with the system in light mode, then in dark mode, leaving it in light mode: the two
 * themes, as long as the window follows the system (the default of desktop/renderer/theme.dom.ts).
 */
export async function expectAccessibleInBothThemes(page: Page, screenName: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    // Two frames: the page hears of the change (and sets its theme) in the first, and the new
    // colours are in place by the second, before axe measures contrast.
    await page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          requestAnimationFrame(() => {
            requestAnimationFrame(() => {
              resolve();
            });
          });
        }),
    );
    await expectNoSeriousAxeViolations(page, `${screenName} (${colorScheme})`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}
