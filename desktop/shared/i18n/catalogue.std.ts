import type { Locale } from './locales.std.js';

/**
 * One area's messages in every language: English first, and each other language with exactly
 * English's ids (a missing or extra id is a compile error). Messages are ICU MessageFormat, so
 * plurals, choices and numbers follow each language's own rules ({count, plural, one {…} other
 * {…}}); ids start with the area's name ("search.title").
 */
export type AreaCatalogue<Id extends string> = Readonly<
  Record<Locale, Readonly<Record<Id, string>>>
>;

/** Checks an area's catalogue against its English ids; returns it unchanged. */
export function areaCatalogue<const English extends Readonly<Record<string, string>>>(
  english: English,
  translations: Readonly<Record<Exclude<Locale, 'en'>, Readonly<Record<keyof English, string>>>>,
): AreaCatalogue<Extract<keyof English, string>> {
  return { en: english, ...translations };
}

/** The message ids of one area's catalogue (of a union of catalogues: all their ids). */
export type IdsOf<Area> = Area extends AreaCatalogue<infer Id> ? Id : never;

/** Every area's messages, one table per language (ids never repeat across areas: a test checks). */
export function mergeAreas<const Areas extends readonly AreaCatalogue<string>[]>(
  areas: Areas,
): AreaCatalogue<IdsOf<Areas[number]>> {
  type Id = IdsOf<Areas[number]>;
  const merged = (locale: Locale): Readonly<Record<Id, string>> =>
    Object.assign({}, ...areas.map((area) => area[locale])) as Record<Id, string>;
  return {
    en: merged('en'),
    es: merged('es'),
    fr: merged('fr'),
    de: merged('de'),
    ar: merged('ar'),
  };
}
