import type { CrisisCountry, CrisisReach } from '../core/client/index.js';
import {
  callUri,
  crisisCountries,
  crisisHelpFor,
  countryFromInput,
  systemCountry,
  textUri,
} from '../core/client/index.js';
import { CliError, CliErrorCode } from './CliError.js';
import { Output } from './output.js';

export interface HelpNowOptions {
  readonly country?: string;
  readonly json?: boolean;
}

const countryNames = new Intl.DisplayNames(['en'], { type: 'region' });

/**
 * `kindred help-now`: the crisis lines for a country, from the directory shipped with Kindred.
 * Opens no vault and no connection, so it works before `init`, offline, and with the relay down.
 * The country is --country, else the system locale's region (LC_ALL, LC_MESSAGES, LANG).
 */
export function helpNowCommand(options: HelpNowOptions): void {
  const out = new Output(options.json === true);
  const chosen = options.country === undefined ? undefined : countryFromInput(options.country);
  if (options.country !== undefined && chosen === undefined) {
    throw new CliError(
      CliErrorCode.Usage,
      '--country takes a two-letter ISO 3166 country code, such as GB, US or FR',
    );
  }
  const country = chosen ?? systemCountry(process.env);
  const entry = country === undefined ? undefined : crisisHelpFor(country);
  if (entry !== undefined) {
    out.emit(helpRecord(entry), helpLines(entry));
    return;
  }
  const known = crisisCountries();
  out.emit(
    { country: country ?? null, emergency: null, lines: [], countries: known },
    [
      country === undefined
        ? 'Kindred cannot tell your country from this system: choose one with --country.'
        : `Kindred has no crisis lines recorded for ${countryNames.of(country) ?? country} (${country}) yet.`,
      'If you are in danger now, call your local emergency number.',
      `Lines are recorded for: ${known.join(', ')} (kindred help-now --country XX).`,
    ].join('\n'),
  );
}

function reachRecord(reach: CrisisReach): Record<string, unknown> {
  switch (reach.kind) {
    case 'call':
      return { kind: 'call', number: reach.number, uri: callUri(reach.number) };
    case 'text':
      return {
        kind: 'text',
        number: reach.number,
        ...(reach.keyword === undefined ? {} : { keyword: reach.keyword }),
        uri: textUri(reach.number, reach.keyword),
      };
    case 'chat':
      return { kind: 'chat', url: reach.url };
  }
}

function helpRecord(entry: CrisisCountry): Record<string, unknown> {
  return {
    country: entry.country,
    countryName: countryNames.of(entry.country) ?? entry.country,
    emergency: { ...entry.emergency, uri: callUri(entry.emergency.number) },
    lines: entry.lines.map((line) => ({ ...line, reach: line.reach.map(reachRecord) })),
  };
}

function reachWords(reach: CrisisReach): string {
  switch (reach.kind) {
    case 'call':
      return `call ${reach.number}  (${callUri(reach.number)})`;
    case 'text':
      return reach.keyword === undefined
        ? `text ${reach.number}  (${textUri(reach.number)})`
        : `text ${reach.keyword} to ${reach.number}  (${textUri(reach.number, reach.keyword)})`;
    case 'chat':
      return `chat online at ${reach.url}`;
  }
}

function helpLines(entry: CrisisCountry): string {
  const lines = [
    `Get help now: ${countryNames.of(entry.country) ?? entry.country} (${entry.country})`,
    `In danger now: call ${entry.emergency.number}  (${callUri(entry.emergency.number)})`,
  ];
  for (const line of entry.lines) {
    const facts = [line.hours, line.free ? 'free' : 'may cost', line.languages.join(', ')];
    lines.push('', `${line.name} (${facts.join('; ')})`);
    for (const reach of line.reach) lines.push(`  ${reachWords(reach)}`);
    lines.push(`  source ${line.source}, recorded ${line.recorded}`);
  }
  return lines.join('\n');
}
