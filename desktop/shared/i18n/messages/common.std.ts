import { areaCatalogue } from '../catalogue.std.js';

/** Words every screen uses. */
export const commonMessages = areaCatalogue(
  {
    'common.you': 'You',
    'common.somethingWrong': 'Something went wrong. Please try again.',
    'common.bytes': '{count, plural, one {# byte} other {# bytes}}',
    'common.kib': '{amount, number} KiB',
    'common.mib': '{amount, number} MiB',
  },
  {
    es: {
      'common.you': 'Tú',
      'common.somethingWrong': 'Algo salió mal. Inténtalo de nuevo.',
      'common.bytes': '{count, plural, one {# byte} other {# bytes}}',
      'common.kib': '{amount, number} KiB',
      'common.mib': '{amount, number} MiB',
    },
    fr: {
      'common.you': 'Vous',
      'common.somethingWrong': 'Un problème est survenu. Veuillez réessayer.',
      'common.bytes': '{count, plural, one {# octet} other {# octets}}',
      'common.kib': '{amount, number} Kio',
      'common.mib': '{amount, number} Mio',
    },
    de: {
      'common.you': 'Du',
      'common.somethingWrong': 'Etwas ist schiefgelaufen. Bitte versuche es noch einmal.',
      'common.bytes': '{count, plural, one {# Byte} other {# Byte}}',
      'common.kib': '{amount, number} KiB',
      'common.mib': '{amount, number} MiB',
    },
    ar: {
      'common.you': 'أنت',
      'common.somethingWrong': 'حدث خطأ ما. يُرجى المحاولة مرة أخرى.',
      'common.bytes':
        '{count, plural, zero {# بايت} one {بايت واحد} two {بايتان} few {# بايتات} many {# بايتًا} other {# بايت}}',
      'common.kib': '{amount, number} كيلوبايت',
      'common.mib': '{amount, number} ميغابايت',
    },
  },
);
