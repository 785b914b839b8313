import type { CrisisCountry, CrisisReach } from '../../core/client/index.js';
import { CRISIS_LINES, callUri, systemCountry, textUri } from '../../core/client/index.js';
import type { CrisisCountryView, CrisisReachView } from '../shared/crisisViews.std.js';
import type { ApiHandlers } from './callRouter.main.js';

/**
 * "Get help now": the crisis lines shipped with the app. Answered in every phase (first run,
 * locked, open) from data in this process: no vault, no relay, no network.
 */
export function crisisHandlers(): Pick<ApiHandlers, 'crisis.directory'> {
  return {
    'crisis.directory': () =>
      Promise.resolve({
        countries: CRISIS_LINES.map(countryView),
        systemCountry: systemCountry(process.env) ?? null,
      }),
  };
}

function countryView(entry: CrisisCountry): CrisisCountryView {
  return {
    country: entry.country,
    emergency: { ...entry.emergency, href: callUri(entry.emergency.number) },
    lines: entry.lines.map((line) => ({ ...line, reach: line.reach.map(reachView) })),
  };
}

function reachView(reach: CrisisReach): CrisisReachView {
  switch (reach.kind) {
    case 'call':
      return { kind: 'call', number: reach.number, href: callUri(reach.number) };
    case 'text':
      return {
        kind: 'text',
        number: reach.number,
        ...(reach.keyword === undefined ? {} : { keyword: reach.keyword }),
        href: textUri(reach.number, reach.keyword),
      };
    case 'chat':
      return { kind: 'chat', href: reach.url };
  }
}
