import { areaCatalogue } from '../catalogue.std.js';

/** The contacts screen (the parts translated so far: delivery to one contact). */
export const contactsMessages = areaCatalogue(
  {
    'contacts.refusedUsedUp': 'Not connected — link already used',
    'contacts.refusedExpired': 'Not connected — link expired',
    'contacts.refusedUnknown': 'Not connected — link not recognised',
    'contacts.sendReadReceipts': 'Send read receipts to {name}',
    'contacts.readReceiptsOn': '{name} will see when you have read.',
    'contacts.readReceiptsOff': 'Read receipts to {name} off.',
  },
  {
    es: {
      'contacts.refusedUsedUp': 'Sin conexión — el enlace ya se usó',
      'contacts.refusedExpired': 'Sin conexión — el enlace caducó',
      'contacts.refusedUnknown': 'Sin conexión — enlace no reconocido',
      'contacts.sendReadReceipts': 'Enviar confirmaciones de lectura a {name}',
      'contacts.readReceiptsOn': '{name} verá cuándo has leído.',
      'contacts.readReceiptsOff': 'Confirmaciones de lectura a {name} desactivadas.',
    },
    fr: {
      'contacts.refusedUsedUp': 'Non connecté — lien déjà utilisé',
      'contacts.refusedExpired': 'Non connecté — lien expiré',
      'contacts.refusedUnknown': 'Non connecté — lien non reconnu',
      'contacts.sendReadReceipts': 'Envoyer des accusés de lecture à {name}',
      'contacts.readReceiptsOn': '{name} verra quand vous avez lu.',
      'contacts.readReceiptsOff': 'Accusés de lecture à {name} désactivés.',
    },
    de: {
      'contacts.refusedUsedUp': 'Nicht verbunden — Link schon benutzt',
      'contacts.refusedExpired': 'Nicht verbunden — Link abgelaufen',
      'contacts.refusedUnknown': 'Nicht verbunden — Link nicht erkannt',
      'contacts.sendReadReceipts': 'Lesebestätigungen an {name} senden',
      'contacts.readReceiptsOn': '{name} sieht, wann du gelesen hast.',
      'contacts.readReceiptsOff': 'Lesebestätigungen an {name} aus.',
    },
    ar: {
      'contacts.refusedUsedUp': 'غير متصل — الرابط استُخدم من قبل',
      'contacts.refusedExpired': 'غير متصل — انتهت صلاحية الرابط',
      'contacts.refusedUnknown': 'غير متصل — الرابط غير معروف',
      'contacts.sendReadReceipts': 'أرسل إشعارات القراءة إلى {name}',
      'contacts.readReceiptsOn': 'سيرى {name} متى قرأت.',
      'contacts.readReceiptsOff': 'أُوقفت إشعارات القراءة إلى {name}.',
    },
  },
);
