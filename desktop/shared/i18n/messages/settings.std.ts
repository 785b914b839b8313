import { areaCatalogue } from '../catalogue.std.js';

/** Settings (the parts translated so far: Appearance). */
export const settingsMessages = areaCatalogue(
  {
    'settings.appearance': 'Appearance',
    'settings.theme': 'Theme',
    'settings.themeSystem': 'Follow the system',
    'settings.themeLight': 'Light',
    'settings.themeDark': 'Dark',
    'settings.language': 'Language',
    'settings.languageSystem': 'The system’s language ({language})',
    'settings.appearanceHint':
      'Kept on this computer, not in your vault, so the unlock screen uses them too.',
  },
  {
    es: {
      'settings.appearance': 'Apariencia',
      'settings.theme': 'Tema',
      'settings.themeSystem': 'Seguir al sistema',
      'settings.themeLight': 'Claro',
      'settings.themeDark': 'Oscuro',
      'settings.language': 'Idioma',
      'settings.languageSystem': 'El idioma del sistema ({language})',
      'settings.appearanceHint':
        'Se guardan en este ordenador, no en tu bóveda, así que la pantalla de desbloqueo también los usa.',
    },
    fr: {
      'settings.appearance': 'Apparence',
      'settings.theme': 'Thème',
      'settings.themeSystem': 'Suivre le système',
      'settings.themeLight': 'Clair',
      'settings.themeDark': 'Sombre',
      'settings.language': 'Langue',
      'settings.languageSystem': 'La langue du système ({language})',
      'settings.appearanceHint':
        'Conservés sur cet ordinateur, pas dans votre coffre : l’écran de déverrouillage les utilise aussi.',
    },
    de: {
      'settings.appearance': 'Darstellung',
      'settings.theme': 'Design',
      'settings.themeSystem': 'Wie das System',
      'settings.themeLight': 'Hell',
      'settings.themeDark': 'Dunkel',
      'settings.language': 'Sprache',
      'settings.languageSystem': 'Die Sprache des Systems ({language})',
      'settings.appearanceHint':
        'Auf diesem Computer gespeichert, nicht in deinem Tresor, damit auch der Entsperrbildschirm sie nutzt.',
    },
    ar: {
      'settings.appearance': 'المظهر',
      'settings.theme': 'السمة',
      'settings.themeSystem': 'اتبع النظام',
      'settings.themeLight': 'فاتحة',
      'settings.themeDark': 'داكنة',
      'settings.language': 'اللغة',
      'settings.languageSystem': 'لغة النظام ({language})',
      'settings.appearanceHint':
        'تُحفظ على هذا الحاسوب لا في خزنتك، لذا تستخدمها شاشة فتح القفل أيضًا.',
    },
  },
);
