import { areaCatalogue } from '../catalogue.std.js';

/** A group's page and its tabs, the moderation screen across groups, and forgetting a group we are out of. */
export const groupPageMessages = areaCatalogue(
  {
    'groupPage.tab.about': 'About',
    'groupPage.tab.invite': 'Invite',
    'groupPage.tabCount': ' ({count})',
    'groupPage.tabPending': '{section}, {count, plural, other {# pending}}',
    'groupPage.tabPendingMany': '{section}, 99+ pending',
    'groupPage.tabOpen': '{section}, {count, plural, other {# open}}',
    'groupPage.tabOpenMany': '{section}, 99+ open',
    'groupPage.sections': '{name} sections',
    'groupPage.group': 'Group',
    'groupPage.appearAs': 'You appear here as {pseudonym}',
    'groupPage.backToChat': 'Back to the chat',
    'groupPage.moderating':
      'You moderate {count, plural, one {one group} other {# groups}}. Reports reach moderators only; every action you take is in the group’s log, for every member to read.',
    'groupPage.notModerating':
      'You do not moderate any group. You can still read what moderators did in each of your groups, and why.',
    'groupPage.noGroups': 'You are not in any group yet.',
    'groupPage.choicePart': ' — {part}',
    'groupPage.choiceWaiting': ' — {count, plural, other {# waiting}}',
    'groupPage.choiceReports': ' — {count, plural, one {# report} other {# reports}}',
    'groupPage.forgetHint':
      'You are no longer in this group: you receive nothing new, and cannot post. You can still read what you received, and the moderation log up to when you went. Forget the group to remove it, its messages and its log from this device.',
    'groupPage.forgetThis': 'Forget this group',
    'groupPage.forgetTitle': 'Forget {name}?',
    'groupPage.forgetConfirm': 'Forget group',
    'groupPage.forgotten': '{name} was removed from this device.',
    'groupPage.forgetExplain':
      'Its messages and log leave this device for good. Your persona here, {pseudonym}, stays.',
  },
  {
    es: {
      'groupPage.tab.about': 'Información',
      'groupPage.tab.invite': 'Invitar',
      'groupPage.tabCount': ' ({count})',
      'groupPage.tabPending': '{section}, {count, plural, one {# pendiente} other {# pendientes}}',
      'groupPage.tabPendingMany': '{section}, 99+ pendientes',
      'groupPage.tabOpen': '{section}, {count, plural, one {# abierta} other {# abiertas}}',
      'groupPage.tabOpenMany': '{section}, 99+ abiertas',
      'groupPage.sections': 'Secciones de {name}',
      'groupPage.group': 'Grupo',
      'groupPage.appearAs': 'Aquí apareces como {pseudonym}',
      'groupPage.backToChat': 'Volver al chat',
      'groupPage.moderating':
        'Moderas {count, plural, one {un grupo} other {# grupos}}. Las denuncias solo llegan a los moderadores; cada cosa que haces queda en el registro del grupo, y cualquier miembro puede leerla.',
      'groupPage.notModerating':
        'No moderas ningún grupo. Aun así puedes leer qué hicieron los moderadores en cada uno de tus grupos, y por qué.',
      'groupPage.noGroups': 'Todavía no estás en ningún grupo.',
      'groupPage.choicePart': ' — {part}',
      'groupPage.choiceWaiting': ' — {count, plural, one {# en espera} other {# en espera}}',
      'groupPage.choiceReports': ' — {count, plural, one {# denuncia} other {# denuncias}}',
      'groupPage.forgetHint':
        'Ya no estás en este grupo: no recibes nada nuevo y no puedes publicar. Todavía puedes leer lo que recibiste, y el registro de moderación hasta que saliste. Olvida el grupo para borrarlo de este dispositivo, con sus mensajes y su registro.',
      'groupPage.forgetThis': 'Olvidar este grupo',
      'groupPage.forgetTitle': '¿Olvidar {name}?',
      'groupPage.forgetConfirm': 'Olvidar el grupo',
      'groupPage.forgotten': '{name} se borró de este dispositivo.',
      'groupPage.forgetExplain':
        'Sus mensajes y su registro se borran de este dispositivo para siempre. Tu persona aquí, {pseudonym}, se queda.',
    },
    fr: {
      'groupPage.tab.about': 'À propos',
      'groupPage.tab.invite': 'Inviter',
      'groupPage.tabCount': ' ({count})',
      'groupPage.tabPending': '{section}, {count, plural, one {# en attente} other {# en attente}}',
      'groupPage.tabPendingMany': '{section}, 99+ en attente',
      'groupPage.tabOpen': '{section}, {count, plural, one {# ouvert} other {# ouverts}}',
      'groupPage.tabOpenMany': '{section}, 99+ ouverts',
      'groupPage.sections': 'Sections de {name}',
      'groupPage.group': 'Groupe',
      'groupPage.appearAs': 'Vous apparaissez ici sous le nom {pseudonym}',
      'groupPage.backToChat': 'Retour à la discussion',
      'groupPage.moderating':
        'Vous modérez {count, plural, one {un groupe} other {# groupes}}. Les signalements n’arrivent qu’aux modérateurs ; chacune de vos actions figure dans le journal du groupe, que chaque membre peut lire.',
      'groupPage.notModerating':
        'Vous ne modérez aucun groupe. Vous pouvez tout de même lire ce que les modérateurs ont fait dans chacun de vos groupes, et pourquoi.',
      'groupPage.noGroups': 'Vous n’êtes encore dans aucun groupe.',
      'groupPage.choicePart': ' — {part}',
      'groupPage.choiceWaiting': ' — {count, plural, one {# en attente} other {# en attente}}',
      'groupPage.choiceReports': ' — {count, plural, one {# signalement} other {# signalements}}',
      'groupPage.forgetHint':
        'Vous ne faites plus partie de ce groupe : vous ne recevez plus rien et ne pouvez plus publier. Vous pouvez encore lire ce que vous avez reçu, et le journal de modération jusqu’à votre départ. Oubliez le groupe pour le supprimer de cet appareil, avec ses messages et son journal.',
      'groupPage.forgetThis': 'Oublier ce groupe',
      'groupPage.forgetTitle': 'Oublier {name} ?',
      'groupPage.forgetConfirm': 'Oublier le groupe',
      'groupPage.forgotten': '{name} a été supprimé de cet appareil.',
      'groupPage.forgetExplain':
        'Ses messages et son journal quittent cet appareil pour de bon. Votre persona ici, {pseudonym}, reste.',
    },
    de: {
      'groupPage.tab.about': 'Info',
      'groupPage.tab.invite': 'Einladen',
      'groupPage.tabCount': ' ({count})',
      'groupPage.tabPending': '{section}, {count, plural, other {# offen}}',
      'groupPage.tabPendingMany': '{section}, 99+ offen',
      'groupPage.tabOpen': '{section}, {count, plural, other {# offen}}',
      'groupPage.tabOpenMany': '{section}, 99+ offen',
      'groupPage.sections': 'Bereiche von {name}',
      'groupPage.group': 'Gruppe',
      'groupPage.appearAs': 'Hier erscheinst du als {pseudonym}',
      'groupPage.backToChat': 'Zurück zum Chat',
      'groupPage.moderating':
        'Du moderierst {count, plural, one {eine Gruppe} other {# Gruppen}}. Meldungen erreichen nur Moderatoren; alles, was du tust, steht im Protokoll der Gruppe, für jedes Mitglied lesbar.',
      'groupPage.notModerating':
        'Du moderierst keine Gruppe. Du kannst trotzdem lesen, was Moderatoren in jeder deiner Gruppen getan haben, und warum.',
      'groupPage.noGroups': 'Du bist noch in keiner Gruppe.',
      'groupPage.choicePart': ' — {part}',
      'groupPage.choiceWaiting': ' — {count, plural, other {# warten}}',
      'groupPage.choiceReports': ' — {count, plural, one {# Meldung} other {# Meldungen}}',
      'groupPage.forgetHint':
        'Du bist nicht mehr in dieser Gruppe: Du bekommst nichts Neues und kannst nicht schreiben. Du kannst noch lesen, was du bekommen hast, und das Moderationsprotokoll bis zu deinem Weggang. Vergiss die Gruppe, um sie mit ihren Nachrichten und ihrem Protokoll von diesem Gerät zu entfernen.',
      'groupPage.forgetThis': 'Diese Gruppe vergessen',
      'groupPage.forgetTitle': '{name} vergessen?',
      'groupPage.forgetConfirm': 'Gruppe vergessen',
      'groupPage.forgotten': '{name} wurde von diesem Gerät entfernt.',
      'groupPage.forgetExplain':
        'Ihre Nachrichten und ihr Protokoll verlassen dieses Gerät endgültig. Deine Persona hier, {pseudonym}, bleibt.',
    },
    ar: {
      'groupPage.tab.about': 'عن المجموعة',
      'groupPage.tab.invite': 'دعوة',
      'groupPage.tabCount': ' ({count})',
      'groupPage.tabPending': '{section}، {count, plural, other {# بانتظار المراجعة}}',
      'groupPage.tabPendingMany': '{section}، 99+ بانتظار المراجعة',
      'groupPage.tabOpen': '{section}، {count, plural, other {# مفتوحة}}',
      'groupPage.tabOpenMany': '{section}، 99+ مفتوحة',
      'groupPage.sections': 'أقسام {name}',
      'groupPage.group': 'مجموعة',
      'groupPage.appearAs': 'تظهر هنا باسم {pseudonym}',
      'groupPage.backToChat': 'العودة إلى الدردشة',
      'groupPage.moderating':
        'أنت تشرف على {count, plural, zero {# مجموعة} one {مجموعة واحدة} two {مجموعتين} few {# مجموعات} many {# مجموعة} other {# مجموعة}}. لا تصل البلاغات إلا إلى المشرفين؛ وكل إجراء تتخذه يُسجَّل في سجل المجموعة ليقرأه كل عضو.',
      'groupPage.notModerating':
        'أنت لا تشرف على أي مجموعة. لكن يمكنك أن تقرأ ما فعله المشرفون في كل مجموعة من مجموعاتك، ولماذا.',
      'groupPage.noGroups': 'لست في أي مجموعة بعد.',
      'groupPage.choicePart': ' — {part}',
      'groupPage.choiceWaiting': ' — {count, plural, other {# بالانتظار}}',
      'groupPage.choiceReports':
        ' — {count, plural, zero {# بلاغ} one {بلاغ واحد} two {بلاغان} few {# بلاغات} many {# بلاغًا} other {# بلاغ}}',
      'groupPage.forgetHint':
        'لم تعد في هذه المجموعة: لا يصلك شيء جديد، ولا يمكنك النشر. لا يزال بإمكانك قراءة ما وصلك، وسجل الإشراف حتى مغادرتك. انسَ المجموعة لإزالتها مع رسائلها وسجلها من هذا الجهاز.',
      'groupPage.forgetThis': 'نسيان هذه المجموعة',
      'groupPage.forgetTitle': 'نسيان {name}؟',
      'groupPage.forgetConfirm': 'نسيان المجموعة',
      'groupPage.forgotten': 'أُزيلت {name} من هذا الجهاز.',
      'groupPage.forgetExplain':
        'تغادر رسائلها وسجلها هذا الجهاز نهائيًا. تبقى شخصيتك هنا، {pseudonym}.',
    },
  },
);
