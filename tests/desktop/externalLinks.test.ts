import { describe, expect, it } from 'vitest';
import { CRISIS_LINES, callUri, groupResourceUri, textUri } from '../../core/client/index.js';
import { isOpenableExternally } from '../../desktop/shared/externalLinks.std.js';

describe('links the window hands to the system', () => {
  it('opens every link the crisis list and a group’s resources make', () => {
    const links = CRISIS_LINES.flatMap((entry) => [
      callUri(entry.emergency.number),
      ...entry.lines.flatMap((line) =>
        line.reach.map((reach) =>
          reach.kind === 'call'
            ? callUri(reach.number)
            : reach.kind === 'text'
              ? textUri(reach.number, reach.keyword)
              : reach.url,
        ),
      ),
    ]);
    links.push(
      groupResourceUri({ name: 'a', reach: 'phone', address: '+44 1604 213142', note: '' }),
      groupResourceUri({ name: 'b', reach: 'text', address: '85258', note: '' }),
      groupResourceUri({ name: 'c', reach: 'web', address: 'https://example.org/help', note: '' }),
    );
    expect(links.length).toBeGreaterThan(20);
    expect(links.filter((link) => !isOpenableExternally(link))).toEqual([]);
  });

  it('refuses every other scheme and malformed numbers', () => {
    for (const link of [
      'http://example.org',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'mailto:a@example.org',
      'ms-settings:privacy',
      'tel:12',
      'tel:999;ext=1',
      'tel:+1-800',
      'sms:85258?body=HI&cc=1',
      'https://user:pw@example.org',
      `https://example.org/${'a'.repeat(2100)}`,
      'not a url',
    ]) {
      expect(isOpenableExternally(link), link).toBe(false);
    }
  });
});
