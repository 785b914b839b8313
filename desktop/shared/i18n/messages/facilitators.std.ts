import { areaCatalogue } from '../catalogue.std.js';

/** Facilitator badges beside pseudonyms, and the warnings about credentials that show none. */
export const facilitatorsMessages = areaCatalogue(
  {
    'facilitators.badgeLabel': 'Verified facilitator: {role}',
    'facilitators.warning.title': 'A facilitator credential shows no badge',
    'facilitators.problem.malformed':
      'A member shows a facilitator credential that cannot be read.',
    'facilitators.problem.forged':
      'A member shows a facilitator credential that this relay’s operator did not sign.',
    'facilitators.problem.otherRelay':
      'A member shows a facilitator credential issued for another relay.',
    'facilitators.problem.otherPersona':
      'A member shows a facilitator credential issued to someone else.',
    'facilitators.problem.expired': 'A member’s facilitator credential has expired.',
    'facilitators.problem.revoked': 'The operator has withdrawn a member’s facilitator credential.',
    'facilitators.problem.unverifiable':
      'A member’s facilitator credential cannot be checked: the relay does not show an operator key its trust root vouches for.',
    'alerts.facilitatorCredential': 'A member shows a facilitator credential that is not valid.',
  },
  {
    es: {
      'facilitators.badgeLabel': 'Facilitador verificado: {role}',
      'facilitators.warning.title': 'Una credencial de facilitador no muestra insignia',
      'facilitators.problem.malformed':
        'Un miembro muestra una credencial de facilitador que no se puede leer.',
      'facilitators.problem.forged':
        'Un miembro muestra una credencial de facilitador que el operador de este relé no firmó.',
      'facilitators.problem.otherRelay':
        'Un miembro muestra una credencial de facilitador emitida para otro relé.',
      'facilitators.problem.otherPersona':
        'Un miembro muestra una credencial de facilitador emitida para otra persona.',
      'facilitators.problem.expired': 'La credencial de facilitador de un miembro ha caducado.',
      'facilitators.problem.revoked':
        'El operador ha retirado la credencial de facilitador de un miembro.',
      'facilitators.problem.unverifiable':
        'No se puede comprobar la credencial de facilitador de un miembro: el relé no muestra una clave de operador avalada por su raíz de confianza.',
      'alerts.facilitatorCredential':
        'Un miembro muestra una credencial de facilitador que no es válida.',
    },
    fr: {
      'facilitators.badgeLabel': 'Facilitateur vérifié : {role}',
      'facilitators.warning.title': 'Une attestation de facilitateur n’affiche aucun badge',
      'facilitators.problem.malformed':
        'Un membre présente une attestation de facilitateur illisible.',
      'facilitators.problem.forged':
        'Un membre présente une attestation de facilitateur que l’opérateur de ce relais n’a pas signée.',
      'facilitators.problem.otherRelay':
        'Un membre présente une attestation de facilitateur émise pour un autre relais.',
      'facilitators.problem.otherPersona':
        'Un membre présente une attestation de facilitateur émise pour quelqu’un d’autre.',
      'facilitators.problem.expired': 'L’attestation de facilitateur d’un membre a expiré.',
      'facilitators.problem.revoked':
        'L’opérateur a retiré l’attestation de facilitateur d’un membre.',
      'facilitators.problem.unverifiable':
        'L’attestation de facilitateur d’un membre ne peut pas être vérifiée : le relais ne présente pas de clé d’opérateur garantie par sa racine de confiance.',
      'alerts.facilitatorCredential':
        'Un membre présente une attestation de facilitateur qui n’est pas valide.',
    },
    de: {
      'facilitators.badgeLabel': 'Bestätigte Begleitung: {role}',
      'facilitators.warning.title': 'Ein Begleitungsnachweis zeigt kein Abzeichen',
      'facilitators.problem.malformed':
        'Ein Mitglied zeigt einen Begleitungsnachweis, der nicht lesbar ist.',
      'facilitators.problem.forged':
        'Ein Mitglied zeigt einen Begleitungsnachweis, den der Betreiber dieses Relays nicht signiert hat.',
      'facilitators.problem.otherRelay':
        'Ein Mitglied zeigt einen Begleitungsnachweis, der für ein anderes Relay ausgestellt wurde.',
      'facilitators.problem.otherPersona':
        'Ein Mitglied zeigt einen Begleitungsnachweis, der für jemand anderen ausgestellt wurde.',
      'facilitators.problem.expired': 'Der Begleitungsnachweis eines Mitglieds ist abgelaufen.',
      'facilitators.problem.revoked':
        'Der Betreiber hat den Begleitungsnachweis eines Mitglieds widerrufen.',
      'facilitators.problem.unverifiable':
        'Der Begleitungsnachweis eines Mitglieds lässt sich nicht prüfen: Das Relay zeigt keinen Betreiberschlüssel, für den seine Vertrauensbasis bürgt.',
      'alerts.facilitatorCredential':
        'Ein Mitglied zeigt einen Begleitungsnachweis, der nicht gültig ist.',
    },
    ar: {
      'facilitators.badgeLabel': 'ميسّر موثَّق: {role}',
      'facilitators.warning.title': 'اعتماد ميسّر لا يُظهر شارة',
      'facilitators.problem.malformed': 'يعرض أحد الأعضاء اعتماد ميسّر لا يمكن قراءته.',
      'facilitators.problem.forged': 'يعرض أحد الأعضاء اعتماد ميسّر لم يوقّعه مشغّل هذا المُرحِّل.',
      'facilitators.problem.otherRelay': 'يعرض أحد الأعضاء اعتماد ميسّر صادرًا لمُرحِّل آخر.',
      'facilitators.problem.otherPersona': 'يعرض أحد الأعضاء اعتماد ميسّر صادرًا لشخص آخر.',
      'facilitators.problem.expired': 'انتهت صلاحية اعتماد الميسّر لأحد الأعضاء.',
      'facilitators.problem.revoked': 'سحب المشغّل اعتماد الميسّر لأحد الأعضاء.',
      'facilitators.problem.unverifiable':
        'لا يمكن التحقق من اعتماد الميسّر لأحد الأعضاء: لا يعرض المُرحِّل مفتاح مشغّل تضمنه جذر الثقة.',
      'alerts.facilitatorCredential': 'يعرض أحد الأعضاء اعتماد ميسّر غير صالح.',
    },
  },
);
