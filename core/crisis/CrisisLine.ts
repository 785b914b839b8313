/**
 * The shape of Kindred's crisis-line directory (core/crisis/crisisLines.ts): per country, its
 * emergency number and the crisis lines and text services shipped with the app, each with the
 * organisation's own page and the date the entry was written from it (docs/crisis-help.md).
 */

/** One way to reach a service. Numbers are digits, spaces allowed for reading ("116 123"). */
export type CrisisReach =
  | { readonly kind: 'call'; readonly number: string }
  | {
      readonly kind: 'text';
      readonly number: string;
      /** The word to send first, when the service asks for one ("HOME" to 741741). */
      readonly keyword?: string;
    }
  | { readonly kind: 'chat'; readonly url: string };

export interface CrisisLine {
  /** The service's own name, as it publishes it. */
  readonly name: string;
  readonly reach: readonly CrisisReach[];
  /** '24/7', or the hours in the service's own words. */
  readonly hours: string;
  /** Languages answered in, as BCP 47 language codes ('en', 'fr'). */
  readonly languages: readonly string[];
  /** Free to call or text from the country's phones. */
  readonly free: boolean;
  /** The organisation's official page (https) the entry was written from. */
  readonly source: string;
  /**
   * When the entry was written from its source (YYYY-MM-DD). Not a promise that the line was
   * checked today: docs/crisis-help.md says how entries are re-checked before a release.
   */
  readonly recorded: string;
}

export interface CrisisCountry {
  /** ISO 3166-1 alpha-2, upper case ('GB'). */
  readonly country: string;
  /** Police, ambulance and fire: shown first. */
  readonly emergency: {
    readonly number: string;
    readonly source: string;
    readonly recorded: string;
  };
  readonly lines: readonly CrisisLine[];
}
