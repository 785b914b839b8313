import type { CrisisCountry } from './CrisisLine.js';

/**
 * The crisis lines shipped with Kindred, as data: the window's "Get help now" panel and
 * `kindred help-now` read it on the device, so it works offline and asks nothing of the relay.
 *
 * Only national services published for years are listed. `recorded` is the day each entry was
 * written (this first list was written without network access, from the services' long-published
 * numbers); before every release each `source` page is opened again and the entry corrected or
 * its date moved (docs/crisis-help.md, "Re-checking the list"). The validator
 * (crisisDirectory.ts) and tests/core/crisisLines.test.ts keep the shape honest.
 */
export const CRISIS_LINES: readonly CrisisCountry[] = [
  {
    country: 'US',
    emergency: { number: '911', source: 'https://www.911.gov', recorded: '2026-12-07' },
    lines: [
      {
        name: '988 Suicide & Crisis Lifeline',
        reach: [
          { kind: 'call', number: '988' },
          { kind: 'text', number: '988' },
          { kind: 'chat', url: 'https://988lifeline.org/chat' },
        ],
        hours: '24/7',
        languages: ['en', 'es'],
        free: true,
        source: 'https://988lifeline.org',
        recorded: '2026-12-07',
      },
      {
        name: 'Crisis Text Line',
        reach: [{ kind: 'text', number: '741741', keyword: 'HOME' }],
        hours: '24/7',
        languages: ['en', 'es'],
        free: true,
        source: 'https://www.crisistextline.org',
        recorded: '2026-12-07',
      },
    ],
  },
  {
    country: 'CA',
    emergency: { number: '911', source: 'https://www.canada.ca', recorded: '2026-12-07' },
    lines: [
      {
        name: '9-8-8: Suicide Crisis Helpline',
        reach: [
          { kind: 'call', number: '988' },
          { kind: 'text', number: '988' },
        ],
        hours: '24/7',
        languages: ['en', 'fr'],
        free: true,
        source: 'https://988.ca',
        recorded: '2026-12-07',
      },
      {
        name: 'Kids Help Phone',
        reach: [
          { kind: 'call', number: '1 800 668 6868' },
          { kind: 'text', number: '686868', keyword: 'CONNECT' },
        ],
        hours: '24/7',
        languages: ['en', 'fr'],
        free: true,
        source: 'https://kidshelpphone.ca',
        recorded: '2026-12-07',
      },
    ],
  },
  {
    country: 'GB',
    emergency: { number: '999', source: 'https://www.nhs.uk', recorded: '2026-12-07' },
    lines: [
      {
        name: 'Samaritans',
        reach: [{ kind: 'call', number: '116 123' }],
        hours: '24/7',
        languages: ['en'],
        free: true,
        source: 'https://www.samaritans.org',
        recorded: '2026-12-07',
      },
      {
        name: 'Shout',
        reach: [{ kind: 'text', number: '85258', keyword: 'SHOUT' }],
        hours: '24/7',
        languages: ['en'],
        free: true,
        source: 'https://giveusashout.org',
        recorded: '2026-12-07',
      },
    ],
  },
  {
    country: 'IE',
    emergency: { number: '112', source: 'https://www.gov.ie', recorded: '2026-12-07' },
    lines: [
      {
        name: 'Samaritans',
        reach: [{ kind: 'call', number: '116 123' }],
        hours: '24/7',
        languages: ['en'],
        free: true,
        source: 'https://www.samaritans.org',
        recorded: '2026-12-07',
      },
      {
        name: 'Text About It',
        reach: [{ kind: 'text', number: '50808', keyword: 'HELLO' }],
        hours: '24/7',
        languages: ['en'],
        free: true,
        source: 'https://text50808.ie',
        recorded: '2026-12-07',
      },
    ],
  },
  {
    country: 'FR',
    emergency: {
      number: '112',
      source: 'https://www.service-public.fr',
      recorded: '2026-12-07',
    },
    lines: [
      {
        name: '3114 – Numéro national de prévention du suicide',
        reach: [{ kind: 'call', number: '3114' }],
        hours: '24/7',
        languages: ['fr'],
        free: true,
        source: 'https://3114.fr',
        recorded: '2026-12-07',
      },
    ],
  },
  {
    country: 'DE',
    emergency: { number: '112', source: 'https://www.bundesregierung.de', recorded: '2026-12-07' },
    lines: [
      {
        name: 'TelefonSeelsorge',
        reach: [
          { kind: 'call', number: '0800 111 0 111' },
          { kind: 'call', number: '0800 111 0 222' },
          { kind: 'call', number: '116 123' },
          { kind: 'chat', url: 'https://online.telefonseelsorge.de' },
        ],
        hours: '24/7',
        languages: ['de'],
        free: true,
        source: 'https://www.telefonseelsorge.de',
        recorded: '2026-12-07',
      },
    ],
  },
  {
    country: 'ES',
    emergency: { number: '112', source: 'https://www.sanidad.gob.es', recorded: '2026-12-07' },
    lines: [
      {
        name: 'Línea 024 de atención a la conducta suicida',
        reach: [{ kind: 'call', number: '024' }],
        hours: '24/7',
        languages: ['es'],
        free: true,
        source: 'https://www.sanidad.gob.es',
        recorded: '2026-12-07',
      },
    ],
  },
  {
    country: 'AU',
    emergency: { number: '000', source: 'https://www.triplezero.gov.au', recorded: '2026-12-07' },
    lines: [
      {
        name: 'Lifeline',
        reach: [
          { kind: 'call', number: '13 11 14' },
          { kind: 'text', number: '0477 13 11 14' },
          { kind: 'chat', url: 'https://www.lifeline.org.au' },
        ],
        hours: '24/7',
        languages: ['en'],
        free: true,
        source: 'https://www.lifeline.org.au',
        recorded: '2026-12-07',
      },
    ],
  },
  {
    country: 'NZ',
    emergency: { number: '111', source: 'https://www.police.govt.nz', recorded: '2026-12-07' },
    lines: [
      {
        name: '1737, Need to talk?',
        reach: [
          { kind: 'call', number: '1737' },
          { kind: 'text', number: '1737' },
        ],
        hours: '24/7',
        languages: ['en'],
        free: true,
        source: 'https://1737.org.nz',
        recorded: '2026-12-07',
      },
      {
        name: 'Lifeline Aotearoa',
        reach: [
          { kind: 'call', number: '0800 543 354' },
          { kind: 'text', number: '4357', keyword: 'HELP' },
        ],
        hours: '24/7',
        languages: ['en'],
        free: true,
        source: 'https://www.lifeline.org.nz',
        recorded: '2026-12-07',
      },
    ],
  },
];
