import { areaCatalogue } from '../catalogue.std.js';

/** The search dialog (Ctrl+K). */
export const searchMessages = areaCatalogue(
  {
    'search.title': 'Search messages',
    'search.field': 'Words to find',
    'search.hint': 'Type words to find them in every conversation.',
    'search.searching': 'Searching…',
    'search.nothingFound': 'Nothing found for “{words}”.',
    'search.found':
      '{count, plural, one {# message found} other {# messages found}}. Up and down arrows choose, Enter opens.',
    'search.results': 'Messages found',
    'search.covered': 'Covered: {warning}',
  },
  {
    es: {
      'search.title': 'Buscar mensajes',
      'search.field': 'Palabras que buscar',
      'search.hint': 'Escribe palabras para encontrarlas en todas las conversaciones.',
      'search.searching': 'Buscando…',
      'search.nothingFound': 'No se encontró nada para «{words}».',
      'search.found':
        '{count, plural, one {# mensaje encontrado} other {# mensajes encontrados}}. Las flechas arriba y abajo eligen; Intro abre.',
      'search.results': 'Mensajes encontrados',
      'search.covered': 'Oculto: {warning}',
    },
    fr: {
      'search.title': 'Rechercher des messages',
      'search.field': 'Mots à chercher',
      'search.hint': 'Tapez des mots pour les trouver dans toutes les conversations.',
      'search.searching': 'Recherche…',
      'search.nothingFound': 'Rien trouvé pour « {words} ».',
      'search.found':
        '{count, plural, one {# message trouvé} other {# messages trouvés}}. Les flèches haut et bas choisissent, Entrée ouvre.',
      'search.results': 'Messages trouvés',
      'search.covered': 'Masqué : {warning}',
    },
    de: {
      'search.title': 'Nachrichten durchsuchen',
      'search.field': 'Gesuchte Wörter',
      'search.hint': 'Gib Wörter ein, um sie in allen Unterhaltungen zu finden.',
      'search.searching': 'Suche läuft…',
      'search.nothingFound': 'Nichts gefunden für „{words}“.',
      'search.found':
        '{count, plural, one {# Nachricht gefunden} other {# Nachrichten gefunden}}. Pfeil nach oben und unten wählt, Eingabe öffnet.',
      'search.results': 'Gefundene Nachrichten',
      'search.covered': 'Verdeckt: {warning}',
    },
    ar: {
      'search.title': 'البحث في الرسائل',
      'search.field': 'الكلمات المطلوبة',
      'search.hint': 'اكتب كلمات للعثور عليها في كل المحادثات.',
      'search.searching': 'جارٍ البحث…',
      'search.nothingFound': 'لم يُعثر على شيء لـ «{words}».',
      'search.found':
        '{count, plural, one {وُجدت رسالة واحدة} two {وُجدت رسالتان} few {وُجدت # رسائل} many {وُجدت # رسالة} other {وُجدت # رسالة}}. اختر بالسهمين لأعلى ولأسفل، وافتح بمفتاح Enter.',
      'search.results': 'الرسائل التي وُجدت',
      'search.covered': 'مخفي: {warning}',
    },
  },
);
