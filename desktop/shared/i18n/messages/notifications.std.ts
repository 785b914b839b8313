import { areaCatalogue } from '../catalogue.std.js';

/**
 * Desktop notifications (notificationWords.std.ts): `{name}` is a member's pseudonym, `{glance}`
 * the message's text or its content warning, `{reason}` the reporter's words.
 */
export const notificationMessages = areaCatalogue(
  {
    'notifications.groupTitle': 'New group message',
    'notifications.groupBody': '{name}: {glance}',
    'notifications.warned': 'Content warning: {warning}',
    'notifications.reported': 'A message was reported: {reason}',
    'notifications.newMessage': 'New message',
  },
  {
    es: {
      'notifications.groupTitle': 'Nuevo mensaje en un grupo',
      'notifications.groupBody': '{name}: {glance}',
      'notifications.warned': 'Aviso de contenido: {warning}',
      'notifications.reported': 'Se denunció un mensaje: {reason}',
      'notifications.newMessage': 'Nuevo mensaje',
    },
    fr: {
      'notifications.groupTitle': 'Nouveau message de groupe',
      'notifications.groupBody': '{name} : {glance}',
      'notifications.warned': 'Avertissement de contenu : {warning}',
      'notifications.reported': 'Un message a été signalé : {reason}',
      'notifications.newMessage': 'Nouveau message',
    },
    de: {
      'notifications.groupTitle': 'Neue Gruppennachricht',
      'notifications.groupBody': '{name}: {glance}',
      'notifications.warned': 'Inhaltswarnung: {warning}',
      'notifications.reported': 'Eine Nachricht wurde gemeldet: {reason}',
      'notifications.newMessage': 'Neue Nachricht',
    },
    ar: {
      'notifications.groupTitle': 'رسالة جديدة في مجموعة',
      'notifications.groupBody': '{name}: {glance}',
      'notifications.warned': 'تحذير من المحتوى: {warning}',
      'notifications.reported': 'أُبلغ عن رسالة: {reason}',
      'notifications.newMessage': 'رسالة جديدة',
    },
  },
);
