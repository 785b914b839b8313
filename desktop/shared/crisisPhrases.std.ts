/**
 * The few phrases the optional crisis-language notice looks for in a draft, per language the
 * window speaks (docs/crisis-help.md). Deliberately short and plain: the notice only offers the
 * "Get help now" panel, gently, and a missed phrase costs nothing but the offer. Matching happens
 * in the window, on the device; nothing is logged, stored or sent.
 */
export const CRISIS_PHRASES: Readonly<Record<'en' | 'es' | 'fr' | 'de' | 'ar', readonly string[]>> =
  {
    en: ['kill myself', 'end my life', 'want to die', 'suicide', 'better off dead', 'hurt myself'],
    es: ['quiero morir', 'matarme', 'suicidarme', 'suicidio', 'quitarme la vida'],
    fr: ['me suicider', 'suicide', 'envie de mourir', 'mettre fin à mes jours', 'me tuer'],
    de: ['umbringen', 'suizid', 'selbstmord', 'nicht mehr leben', 'sterben will'],
    ar: ['انتحار', 'أنتحر', 'أريد أن أموت', 'أقتل نفسي', 'إنهاء حياتي'],
  };

const ALL_PHRASES = Object.values(CRISIS_PHRASES)
  .flat()
  .map((phrase) => phrase.toLocaleLowerCase());

/** Whether `draft` holds one of the phrases, in any of the languages (case and spacing ignored). */
export function soundsLikeCrisis(draft: string): boolean {
  const words = draft.toLocaleLowerCase().replace(/\s+/gu, ' ');
  return ALL_PHRASES.some((phrase) => words.includes(phrase));
}
