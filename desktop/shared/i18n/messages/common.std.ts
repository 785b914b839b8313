import { areaCatalogue } from '../catalogue.std.js';

/** Words every screen uses. */
export const commonMessages = areaCatalogue(
  {
    'common.you': 'You',
    'common.somethingWrong': 'Something went wrong. Please try again.',
  },
  {
    es: {
      'common.you': 'Tú',
      'common.somethingWrong': 'Algo salió mal. Inténtalo de nuevo.',
    },
    fr: {
      'common.you': 'Vous',
      'common.somethingWrong': 'Un problème est survenu. Veuillez réessayer.',
    },
    de: {
      'common.you': 'Du',
      'common.somethingWrong': 'Etwas ist schiefgelaufen. Bitte versuche es noch einmal.',
    },
    ar: {
      'common.you': 'أنت',
      'common.somethingWrong': 'حدث خطأ ما. يُرجى المحاولة مرة أخرى.',
    },
  },
);
