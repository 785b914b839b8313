/**
 * What the "Get help now" panel shows: core's crisis-line directory (core/crisis), with the
 * links to open ready made. Plain JSON; the window reads it before the vault opens too.
 */

/** One way to reach a service; `href` is `tel:`, `sms:` or the service's https chat page. */
export type CrisisReachView =
  | { readonly kind: 'call'; readonly number: string; readonly href: string }
  | {
      readonly kind: 'text';
      readonly number: string;
      readonly keyword?: string;
      readonly href: string;
    }
  | { readonly kind: 'chat'; readonly href: string };

export interface CrisisLineView {
  readonly name: string;
  readonly reach: readonly CrisisReachView[];
  readonly hours: string;
  readonly languages: readonly string[];
  readonly free: boolean;
  readonly source: string;
  /** YYYY-MM-DD: when the entry was written from its source (not when it was last checked). */
  readonly recorded: string;
}

export interface CrisisCountryView {
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
  readonly emergency: {
    readonly number: string;
    readonly href: string;
    readonly source: string;
    readonly recorded: string;
  };
  readonly lines: readonly CrisisLineView[];
}

export interface CrisisDirectoryView {
  readonly countries: readonly CrisisCountryView[];
  /** The region of the system's locale where it names one (main's LC_ALL / LANG / Intl). */
  readonly systemCountry: string | null;
}
