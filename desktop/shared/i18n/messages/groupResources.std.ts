import { areaCatalogue } from '../catalogue.std.js';

/** A group's pinned local resources: in the Get help now panel and in the group's About. */
export const groupResourceMessages = areaCatalogue(
  {
    'groupResources.heading': 'Pinned by {group}',
    'groupResources.aboutHeading': 'Local resources',
    'groupResources.hint': 'Chosen by this group’s moderators, not checked by Kindred.',
    'groupResources.call': 'Call {number}',
    'groupResources.text': 'Text {number}',
    'groupResources.web': 'Open {address}',
  },
  {
    es: {
      'groupResources.heading': 'Fijados por {group}',
      'groupResources.aboutHeading': 'Recursos locales',
      'groupResources.hint':
        'Elegidos por los moderadores de este grupo, no verificados por Kindred.',
      'groupResources.call': 'Llamar al {number}',
      'groupResources.text': 'Enviar un SMS al {number}',
      'groupResources.web': 'Abrir {address}',
    },
    fr: {
      'groupResources.heading': 'Épinglées par {group}',
      'groupResources.aboutHeading': 'Ressources locales',
      'groupResources.hint':
        'Choisies par les modérateurs de ce groupe, non vérifiées par Kindred.',
      'groupResources.call': 'Appeler le {number}',
      'groupResources.text': 'Envoyer un SMS au {number}',
      'groupResources.web': 'Ouvrir {address}',
    },
    de: {
      'groupResources.heading': 'Angeheftet von {group}',
      'groupResources.aboutHeading': 'Hilfe vor Ort',
      'groupResources.hint':
        'Von den Moderatoren dieser Gruppe ausgewählt, nicht von Kindred geprüft.',
      'groupResources.call': '{number} anrufen',
      'groupResources.text': 'SMS an {number}',
      'groupResources.web': '{address} öffnen',
    },
    ar: {
      'groupResources.heading': 'ثبّتتها {group}',
      'groupResources.aboutHeading': 'موارد محلية',
      'groupResources.hint': 'اختارها مشرفو هذه المجموعة، ولم يتحقق منها Kindred.',
      'groupResources.call': 'اتصل بالرقم {number}',
      'groupResources.text': 'أرسل رسالة نصية إلى {number}',
      'groupResources.web': 'افتح {address}',
    },
  },
);
