import { areaCatalogue } from '../catalogue.std.js';

/**
 * Why one of our messages was not delivered, after "Not delivered — " (DeliveryFailure in
 * apiViews.std.ts: the main process sends the reason, the window words it).
 */
export const deliveryReasonMessages = areaCatalogue(
  {
    'deliveryReasons.unknownRecipient': 'the relay does not know this contact any more',
    'deliveryReasons.accessDenied': 'the contact no longer accepts messages from you',
    'deliveryReasons.mailboxFull': 'the contact’s mailbox is full',
    'deliveryReasons.tooLarge': 'the message is too large',
    'deliveryReasons.rateLimited': 'the relay is limiting how fast you send',
    'deliveryReasons.badRetention': 'the relay refused the message’s timer',
    'deliveryReasons.unreachable': 'the relay could not be reached in time',
    'deliveryReasons.timeout': 'the relay did not answer in time',
    'deliveryReasons.linkUsed': 'not connected: the contact’s link was already used',
    'deliveryReasons.other': 'the relay did not take it',
  },
  {
    es: {
      'deliveryReasons.unknownRecipient': 'el relé ya no conoce a este contacto',
      'deliveryReasons.accessDenied': 'el contacto ya no acepta tus mensajes',
      'deliveryReasons.mailboxFull': 'el buzón del contacto está lleno',
      'deliveryReasons.tooLarge': 'el mensaje es demasiado grande',
      'deliveryReasons.rateLimited': 'el relé está limitando la rapidez con la que envías',
      'deliveryReasons.badRetention': 'el relé rechazó el temporizador del mensaje',
      'deliveryReasons.unreachable': 'no se pudo llegar al relé a tiempo',
      'deliveryReasons.timeout': 'el relé no respondió a tiempo',
      'deliveryReasons.linkUsed': 'sin conexión: el enlace del contacto ya se había usado',
      'deliveryReasons.other': 'el relé no lo aceptó',
    },
    fr: {
      'deliveryReasons.unknownRecipient': 'le relais ne connaît plus ce contact',
      'deliveryReasons.accessDenied': 'le contact n’accepte plus vos messages',
      'deliveryReasons.mailboxFull': 'la boîte aux lettres du contact est pleine',
      'deliveryReasons.tooLarge': 'le message est trop volumineux',
      'deliveryReasons.rateLimited': 'le relais limite la vitesse à laquelle vous envoyez',
      'deliveryReasons.badRetention': 'le relais a refusé la minuterie du message',
      'deliveryReasons.unreachable': 'le relais n’a pas pu être joint à temps',
      'deliveryReasons.timeout': 'le relais n’a pas répondu à temps',
      'deliveryReasons.linkUsed': 'non connecté : le lien du contact avait déjà servi',
      'deliveryReasons.other': 'le relais ne l’a pas accepté',
    },
    de: {
      'deliveryReasons.unknownRecipient': 'das Relay kennt diesen Kontakt nicht mehr',
      'deliveryReasons.accessDenied': 'der Kontakt nimmt keine Nachrichten mehr von dir an',
      'deliveryReasons.mailboxFull': 'das Postfach des Kontakts ist voll',
      'deliveryReasons.tooLarge': 'die Nachricht ist zu groß',
      'deliveryReasons.rateLimited': 'das Relay begrenzt, wie schnell du sendest',
      'deliveryReasons.badRetention': 'das Relay hat den Timer der Nachricht abgelehnt',
      'deliveryReasons.unreachable': 'das Relay war nicht rechtzeitig erreichbar',
      'deliveryReasons.timeout': 'das Relay hat nicht rechtzeitig geantwortet',
      'deliveryReasons.linkUsed': 'nicht verbunden: der Link des Kontakts war schon benutzt',
      'deliveryReasons.other': 'das Relay hat sie nicht angenommen',
    },
    ar: {
      'deliveryReasons.unknownRecipient': 'لم يعد المُرحِّل يعرف جهة الاتصال هذه',
      'deliveryReasons.accessDenied': 'لم تعد جهة الاتصال تقبل رسائلك',
      'deliveryReasons.mailboxFull': 'صندوق بريد جهة الاتصال ممتلئ',
      'deliveryReasons.tooLarge': 'الرسالة كبيرة جدًا',
      'deliveryReasons.rateLimited': 'يحدّ المُرحِّل من سرعة إرسالك',
      'deliveryReasons.badRetention': 'رفض المُرحِّل مؤقّت الرسالة',
      'deliveryReasons.unreachable': 'تعذّر الوصول إلى المُرحِّل في الوقت المناسب',
      'deliveryReasons.timeout': 'لم يُجب المُرحِّل في الوقت المناسب',
      'deliveryReasons.linkUsed': 'غير متصل: سبق استخدام رابط جهة الاتصال',
      'deliveryReasons.other': 'لم يقبلها المُرحِّل',
    },
  },
);
