import { areaCatalogue } from '../catalogue.std.js';

/** The whole window's own words: reaching the vault's process, and the link to it. */
export const appMessages = areaCatalogue(
  {
    'app.cannotReach': 'This page cannot reach Kindred',
    'app.noToken':
      'Open the address the dev host printed in its terminal, including the part after #.',
    'app.unauthorized':
      'Kindred refused this page’s key. Open the address the dev host printed again.',
    'app.opening': 'Opening Kindred…',
    'app.notAnswering': 'Kindred is not answering',
    'app.tryAgain': 'Try again',
    'app.reconnecting': 'The link to Kindred dropped. Reconnecting…',
  },
  {
    es: {
      'app.cannotReach': 'Esta página no puede comunicarse con Kindred',
      'app.noToken':
        'Abre la dirección que el servidor de desarrollo mostró en su terminal, incluida la parte después de #.',
      'app.unauthorized':
        'Kindred rechazó la clave de esta página. Vuelve a abrir la dirección que mostró el servidor de desarrollo.',
      'app.opening': 'Abriendo Kindred…',
      'app.notAnswering': 'Kindred no responde',
      'app.tryAgain': 'Intentar de nuevo',
      'app.reconnecting': 'Se perdió la conexión con Kindred. Reconectando…',
    },
    fr: {
      'app.cannotReach': 'Cette page ne parvient pas à joindre Kindred',
      'app.noToken':
        'Ouvrez l’adresse que le serveur de développement a affichée dans son terminal, y compris la partie après #.',
      'app.unauthorized':
        'Kindred a refusé la clé de cette page. Rouvrez l’adresse affichée par le serveur de développement.',
      'app.opening': 'Ouverture de Kindred…',
      'app.notAnswering': 'Kindred ne répond pas',
      'app.tryAgain': 'Réessayer',
      'app.reconnecting': 'La liaison avec Kindred a été coupée. Reconnexion…',
    },
    de: {
      'app.cannotReach': 'Diese Seite erreicht Kindred nicht',
      'app.noToken':
        'Öffne die Adresse, die der Entwicklungsserver in seinem Terminal ausgegeben hat, einschließlich des Teils nach #.',
      'app.unauthorized':
        'Kindred hat den Schlüssel dieser Seite abgelehnt. Öffne die Adresse, die der Entwicklungsserver ausgegeben hat, noch einmal.',
      'app.opening': 'Kindred wird geöffnet…',
      'app.notAnswering': 'Kindred antwortet nicht',
      'app.tryAgain': 'Erneut versuchen',
      'app.reconnecting': 'Die Verbindung zu Kindred ist abgerissen. Wird neu verbunden…',
    },
    ar: {
      'app.cannotReach': 'لا تستطيع هذه الصفحة الوصول إلى Kindred',
      'app.noToken': 'افتح العنوان الذي طبعه خادم التطوير في الطرفية، بما في ذلك الجزء الذي بعد #.',
      'app.unauthorized':
        'رفض Kindred مفتاح هذه الصفحة. افتح مجددًا العنوان الذي طبعه خادم التطوير.',
      'app.opening': 'جارٍ فتح Kindred…',
      'app.notAnswering': 'Kindred لا يستجيب',
      'app.tryAgain': 'حاول مرة أخرى',
      'app.reconnecting': 'انقطع الاتصال بـ Kindred. جارٍ إعادة الاتصال…',
    },
  },
);
