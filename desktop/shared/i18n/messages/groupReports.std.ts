import { areaCatalogue } from '../catalogue.std.js';

/** A report's state for moderators: handled (by whom, how), dismissed. */
export const groupReportsMessages = areaCatalogue(
  {
    'groupReports.handled':
      '{action, select, deleteMessage {Handled by {name}: removed the message} remove {Handled by {name}: removed its author from the group} ban {Handled by {name}: banned its author} mute {Handled by {name}: muted its author} other {Handled by {name}}}',
    'groupReports.handledDismissed':
      '{action, select, deleteMessage {Handled by {name}: removed the message. You dismissed this report.} remove {Handled by {name}: removed its author from the group. You dismissed this report.} ban {Handled by {name}: banned its author. You dismissed this report.} mute {Handled by {name}: muted its author. You dismissed this report.} other {Handled by {name}. You dismissed this report.}}',
    'groupReports.dismissed': 'You dismissed this report.',
    'groupReports.dismiss': 'Dismiss',
    'groupReports.reportDismissed': 'Report dismissed.',
  },
  {
    es: {
      'groupReports.handled':
        '{action, select, deleteMessage {Resuelta por {name}: borró el mensaje} remove {Resuelta por {name}: quitó a su autor del grupo} ban {Resuelta por {name}: expulsó a su autor} mute {Resuelta por {name}: silenció a su autor} other {Resuelta por {name}}}',
      'groupReports.handledDismissed':
        '{action, select, deleteMessage {Resuelta por {name}: borró el mensaje. Descartaste esta denuncia.} remove {Resuelta por {name}: quitó a su autor del grupo. Descartaste esta denuncia.} ban {Resuelta por {name}: expulsó a su autor. Descartaste esta denuncia.} mute {Resuelta por {name}: silenció a su autor. Descartaste esta denuncia.} other {Resuelta por {name}. Descartaste esta denuncia.}}',
      'groupReports.dismissed': 'Descartaste esta denuncia.',
      'groupReports.dismiss': 'Descartar',
      'groupReports.reportDismissed': 'Denuncia descartada.',
    },
    fr: {
      'groupReports.handled':
        '{action, select, deleteMessage {Traité par {name} : message supprimé} remove {Traité par {name} : auteur retiré du groupe} ban {Traité par {name} : auteur banni} mute {Traité par {name} : auteur réduit au silence} other {Traité par {name}}}',
      'groupReports.handledDismissed':
        '{action, select, deleteMessage {Traité par {name} : message supprimé. Vous avez écarté ce signalement.} remove {Traité par {name} : auteur retiré du groupe. Vous avez écarté ce signalement.} ban {Traité par {name} : auteur banni. Vous avez écarté ce signalement.} mute {Traité par {name} : auteur réduit au silence. Vous avez écarté ce signalement.} other {Traité par {name}. Vous avez écarté ce signalement.}}',
      'groupReports.dismissed': 'Vous avez écarté ce signalement.',
      'groupReports.dismiss': 'Écarter',
      'groupReports.reportDismissed': 'Signalement écarté.',
    },
    de: {
      'groupReports.handled':
        '{action, select, deleteMessage {Erledigt von {name}: Nachricht entfernt} remove {Erledigt von {name}: Verfasser aus der Gruppe entfernt} ban {Erledigt von {name}: Verfasser verbannt} mute {Erledigt von {name}: Verfasser stummgeschaltet} other {Erledigt von {name}}}',
      'groupReports.handledDismissed':
        '{action, select, deleteMessage {Erledigt von {name}: Nachricht entfernt. Du hast diese Meldung verworfen.} remove {Erledigt von {name}: Verfasser aus der Gruppe entfernt. Du hast diese Meldung verworfen.} ban {Erledigt von {name}: Verfasser verbannt. Du hast diese Meldung verworfen.} mute {Erledigt von {name}: Verfasser stummgeschaltet. Du hast diese Meldung verworfen.} other {Erledigt von {name}. Du hast diese Meldung verworfen.}}',
      'groupReports.dismissed': 'Du hast diese Meldung verworfen.',
      'groupReports.dismiss': 'Verwerfen',
      'groupReports.reportDismissed': 'Meldung verworfen.',
    },
    ar: {
      'groupReports.handled':
        '{action, select, deleteMessage {عالجه {name}: أزال الرسالة} remove {عالجه {name}: أزال كاتبها من المجموعة} ban {عالجه {name}: حظر كاتبها} mute {عالجه {name}: كتم كاتبها} other {عالجه {name}}}',
      'groupReports.handledDismissed':
        '{action, select, deleteMessage {عالجه {name}: أزال الرسالة. لقد تجاهلت هذا البلاغ.} remove {عالجه {name}: أزال كاتبها من المجموعة. لقد تجاهلت هذا البلاغ.} ban {عالجه {name}: حظر كاتبها. لقد تجاهلت هذا البلاغ.} mute {عالجه {name}: كتم كاتبها. لقد تجاهلت هذا البلاغ.} other {عالجه {name}. لقد تجاهلت هذا البلاغ.}}',
      'groupReports.dismissed': 'لقد تجاهلت هذا البلاغ.',
      'groupReports.dismiss': 'تجاهل',
      'groupReports.reportDismissed': 'تم تجاهل البلاغ.',
    },
  },
);
