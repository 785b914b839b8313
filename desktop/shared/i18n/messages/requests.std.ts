import { areaCatalogue } from '../catalogue.std.js';

/**
 * Message requests (docs/messages.md, "Message requests"): the group policy that allows them,
 * "Write privately" on a member, a request sent as its conversation shows it, the Requests inbox
 * with its confirmations and outcomes, its notification, and the moderation log's words.
 */
export const requestMessages = areaCatalogue(
  {
    'requests.nav': 'Requests',
    'requests.intro':
      'Fellow group members who are not your contacts wrote to you. Nothing more from them shows until you accept, and they cannot tell whether you have seen it.',
    'requests.none': 'No message requests.',
    'requests.listLabel': 'Open requests',
    'requests.messagesLabel': 'What {name} wrote',
    'requests.via': 'Through “{group}”',
    'requests.someGroup': 'a group you are no longer in',
    'requests.toPersona': 'to you as {persona}',
    'requests.accept': 'Accept',
    'requests.accepted': 'Accepted — {name} is now a contact.',
    'requests.decline': 'Decline',
    'requests.declineTitle': 'Decline the request from {name}?',
    'requests.declineExplain':
      'The request is deleted. {name} is not told, and may write to you again.',
    'requests.declined': 'Declined — the request from {name} is gone.',
    'requests.block': 'Block',
    'requests.blockTitle': 'Block {name}?',
    'requests.blockExplain':
      'The request is deleted and {name} can no longer reach you: the relay refuses what they send. They are not told.',
    'requests.blocked': 'Blocked — they can no longer reach you.',
    'requests.blockedLater':
      'Blocked — the relay will refuse them as soon as you are online again; until then nothing they send is shown.',
    'requests.report': 'Report to moderators',
    'requests.reportTitle': 'Report {name} to the moderators?',
    'requests.reportExplain':
      'The moderators of “{group}” receive what {name} wrote to you. The request stays here until you accept, decline or block it.',
    'requests.reportHint': 'The moderators of “{group}” read this.',
    'requests.reportSend': 'Send report',
    'requests.reported':
      '{count, plural, =0 {There is no other moderator in that group to report to.} one {Reported to # moderator.} other {Reported to # moderators.}}',
    'requests.notify.title': 'Message request from {name}',
    'requests.write': 'Write privately',
    'requests.writeNamed': 'Write privately to {name}',
    'requests.write.title': 'Write privately to {name}',
    'requests.write.hint':
      'Unless {name} is already a contact, this goes as a request: they see it only in their requests, and may accept, decline, block or report it to the moderators.',
    'requests.write.label': 'Message',
    'requests.write.send': 'Send',
    'requests.write.sent': 'Sent to {name}.',
    'requests.sentAsRequest': 'Sent as a request — you’ll see replies if they accept',
    'requests.policy.label': 'Members may write to each other privately',
    'requests.policy.hint':
      'Off by default: unsolicited private messages are the usual way predators reach vulnerable people. When on, a first message arrives as a request the receiver can accept, decline, block or report to you.',
    'requests.aboutOn': 'Members may write to each other privately; a first message is a request.',
    'requests.aboutOff': 'Members cannot write to each other privately here.',
    'requests.log.on': 'let members write to each other privately',
    'requests.log.off': 'stopped members writing to each other privately',
  },
  {
    es: {
      'requests.nav': 'Solicitudes',
      'requests.intro':
        'Miembros de tus grupos que no son tus contactos te escribieron. No verás nada más de ellos hasta que aceptes, y no pueden saber si lo has visto.',
      'requests.none': 'No hay solicitudes de mensaje.',
      'requests.listLabel': 'Solicitudes abiertas',
      'requests.messagesLabel': 'Lo que escribió {name}',
      'requests.via': 'A través de «{group}»',
      'requests.someGroup': 'un grupo del que ya no formas parte',
      'requests.toPersona': 'a ti como {persona}',
      'requests.accept': 'Aceptar',
      'requests.accepted': 'Aceptada: {name} ahora es un contacto.',
      'requests.decline': 'Rechazar',
      'requests.declineTitle': '¿Rechazar la solicitud de {name}?',
      'requests.declineExplain':
        'La solicitud se borra. {name} no recibe aviso y puede volver a escribirte.',
      'requests.declined': 'Rechazada: la solicitud de {name} ya no está.',
      'requests.block': 'Bloquear',
      'requests.blockTitle': '¿Bloquear a {name}?',
      'requests.blockExplain':
        'La solicitud se borra y {name} ya no puede contactarte: el relé rechaza lo que envíe. No recibe aviso.',
      'requests.blocked': 'Bloqueado: ya no puede contactarte.',
      'requests.blockedLater':
        'Bloqueado: el relé lo rechazará en cuanto vuelvas a estar en línea; hasta entonces no se muestra nada de lo que envíe.',
      'requests.report': 'Denunciar a los moderadores',
      'requests.reportTitle': '¿Denunciar a {name} a los moderadores?',
      'requests.reportExplain':
        'Los moderadores de «{group}» reciben lo que {name} te escribió. La solicitud sigue aquí hasta que la aceptes, rechaces o bloquees.',
      'requests.reportHint': 'Lo leen los moderadores de «{group}».',
      'requests.reportSend': 'Enviar denuncia',
      'requests.reported':
        '{count, plural, =0 {No hay otro moderador en ese grupo a quien denunciarlo.} one {Denunciado a # moderador.} other {Denunciado a # moderadores.}}',
      'requests.notify.title': 'Solicitud de mensaje de {name}',
      'requests.write': 'Escribir en privado',
      'requests.writeNamed': 'Escribir en privado a {name}',
      'requests.write.title': 'Escribir en privado a {name}',
      'requests.write.hint':
        'Salvo que {name} ya sea un contacto, esto va como solicitud: solo lo ve entre sus solicitudes y puede aceptarla, rechazarla, bloquearte o denunciarla a los moderadores.',
      'requests.write.label': 'Mensaje',
      'requests.write.send': 'Enviar',
      'requests.write.sent': 'Enviado a {name}.',
      'requests.sentAsRequest': 'Enviado como solicitud: verás las respuestas si la acepta',
      'requests.policy.label': 'Los miembros pueden escribirse en privado',
      'requests.policy.hint':
        'Desactivado por defecto: los mensajes privados no solicitados son la vía habitual de los depredadores para llegar a personas vulnerables. Si se activa, el primer mensaje llega como solicitud que quien la recibe puede aceptar, rechazar, bloquear o denunciaros.',
      'requests.aboutOn':
        'Los miembros pueden escribirse en privado; el primer mensaje es una solicitud.',
      'requests.aboutOff': 'Aquí los miembros no pueden escribirse en privado.',
      'requests.log.on': 'permitió que los miembros se escriban en privado',
      'requests.log.off': 'dejó de permitir que los miembros se escriban en privado',
    },
    fr: {
      'requests.nav': 'Demandes',
      'requests.intro':
        'Des membres de vos groupes qui ne sont pas vos contacts vous ont écrit. Rien d’autre d’eux ne s’affiche tant que vous n’acceptez pas, et ils ne peuvent pas savoir si vous l’avez vu.',
      'requests.none': 'Aucune demande de message.',
      'requests.listLabel': 'Demandes en attente',
      'requests.messagesLabel': 'Ce que {name} a écrit',
      'requests.via': 'Via « {group} »',
      'requests.someGroup': 'un groupe que vous avez quitté',
      'requests.toPersona': 'à vous en tant que {persona}',
      'requests.accept': 'Accepter',
      'requests.accepted': 'Acceptée : {name} est maintenant un contact.',
      'requests.decline': 'Refuser',
      'requests.declineTitle': 'Refuser la demande de {name} ?',
      'requests.declineExplain':
        'La demande est supprimée. {name} n’est pas prévenu et peut vous écrire à nouveau.',
      'requests.declined': 'Refusée : la demande de {name} a disparu.',
      'requests.block': 'Bloquer',
      'requests.blockTitle': 'Bloquer {name} ?',
      'requests.blockExplain':
        'La demande est supprimée et {name} ne peut plus vous joindre : le relais refuse ce qu’il envoie. Il n’est pas prévenu.',
      'requests.blocked': 'Bloqué : il ne peut plus vous joindre.',
      'requests.blockedLater':
        'Bloqué : le relais le refusera dès que vous serez de nouveau en ligne ; d’ici là, rien de ce qu’il envoie n’est affiché.',
      'requests.report': 'Signaler aux modérateurs',
      'requests.reportTitle': 'Signaler {name} aux modérateurs ?',
      'requests.reportExplain':
        'Les modérateurs de « {group} » reçoivent ce que {name} vous a écrit. La demande reste ici jusqu’à ce que vous l’acceptiez, la refusiez ou bloquiez.',
      'requests.reportHint': 'Les modérateurs de « {group} » le lisent.',
      'requests.reportSend': 'Envoyer le signalement',
      'requests.reported':
        '{count, plural, =0 {Aucun autre modérateur dans ce groupe à qui le signaler.} one {Signalé à # modérateur.} other {Signalé à # modérateurs.}}',
      'requests.notify.title': 'Demande de message de {name}',
      'requests.write': 'Écrire en privé',
      'requests.writeNamed': 'Écrire en privé à {name}',
      'requests.write.title': 'Écrire en privé à {name}',
      'requests.write.hint':
        'Sauf si {name} est déjà un contact, ceci part comme une demande : il ne la voit que parmi ses demandes et peut l’accepter, la refuser, vous bloquer ou la signaler aux modérateurs.',
      'requests.write.label': 'Message',
      'requests.write.send': 'Envoyer',
      'requests.write.sent': 'Envoyé à {name}.',
      'requests.sentAsRequest': 'Envoyé comme demande — vous verrez les réponses s’il l’accepte',
      'requests.policy.label': 'Les membres peuvent s’écrire en privé',
      'requests.policy.hint':
        'Désactivé par défaut : les messages privés non sollicités sont le moyen habituel des prédateurs pour atteindre les personnes vulnérables. Activé, un premier message arrive comme une demande que le destinataire peut accepter, refuser, bloquer ou vous signaler.',
      'requests.aboutOn':
        'Les membres peuvent s’écrire en privé ; un premier message est une demande.',
      'requests.aboutOff': 'Ici, les membres ne peuvent pas s’écrire en privé.',
      'requests.log.on': 'a permis aux membres de s’écrire en privé',
      'requests.log.off': 'ne permet plus aux membres de s’écrire en privé',
    },
    de: {
      'requests.nav': 'Anfragen',
      'requests.intro':
        'Mitglieder deiner Gruppen, die nicht deine Kontakte sind, haben dir geschrieben. Mehr von ihnen erscheint erst, wenn du annimmst, und sie können nicht sehen, ob du es gelesen hast.',
      'requests.none': 'Keine Nachrichtenanfragen.',
      'requests.listLabel': 'Offene Anfragen',
      'requests.messagesLabel': 'Was {name} geschrieben hat',
      'requests.via': 'Über „{group}“',
      'requests.someGroup': 'eine Gruppe, in der du nicht mehr bist',
      'requests.toPersona': 'an dich als {persona}',
      'requests.accept': 'Annehmen',
      'requests.accepted': 'Angenommen – {name} ist jetzt ein Kontakt.',
      'requests.decline': 'Ablehnen',
      'requests.declineTitle': 'Die Anfrage von {name} ablehnen?',
      'requests.declineExplain':
        'Die Anfrage wird gelöscht. {name} erfährt es nicht und kann dir erneut schreiben.',
      'requests.declined': 'Abgelehnt – die Anfrage von {name} ist weg.',
      'requests.block': 'Blockieren',
      'requests.blockTitle': '{name} blockieren?',
      'requests.blockExplain':
        'Die Anfrage wird gelöscht und {name} kann dich nicht mehr erreichen: Das Relay weist ab, was gesendet wird. Es wird nicht mitgeteilt.',
      'requests.blocked': 'Blockiert – diese Person kann dich nicht mehr erreichen.',
      'requests.blockedLater':
        'Blockiert – das Relay weist sie ab, sobald du wieder online bist; bis dahin wird nichts von ihr angezeigt.',
      'requests.report': 'An die Moderation melden',
      'requests.reportTitle': '{name} an die Moderation melden?',
      'requests.reportExplain':
        'Die Moderation von „{group}“ erhält, was {name} dir geschrieben hat. Die Anfrage bleibt hier, bis du sie annimmst, ablehnst oder blockierst.',
      'requests.reportHint': 'Die Moderation von „{group}“ liest das.',
      'requests.reportSend': 'Meldung senden',
      'requests.reported':
        '{count, plural, =0 {In dieser Gruppe gibt es keine andere Moderation, an die gemeldet werden kann.} one {An # Moderator gemeldet.} other {An # Moderatoren gemeldet.}}',
      'requests.notify.title': 'Nachrichtenanfrage von {name}',
      'requests.write': 'Privat schreiben',
      'requests.writeNamed': '{name} privat schreiben',
      'requests.write.title': '{name} privat schreiben',
      'requests.write.hint':
        'Außer wenn {name} schon ein Kontakt ist, geht dies als Anfrage: Sie erscheint nur unter den Anfragen und kann angenommen, abgelehnt, blockiert oder der Moderation gemeldet werden.',
      'requests.write.label': 'Nachricht',
      'requests.write.send': 'Senden',
      'requests.write.sent': 'An {name} gesendet.',
      'requests.sentAsRequest':
        'Als Anfrage gesendet – du siehst Antworten, wenn sie angenommen wird',
      'requests.policy.label': 'Mitglieder dürfen einander privat schreiben',
      'requests.policy.hint':
        'Standardmäßig aus: Unerwünschte private Nachrichten sind der übliche Weg, auf dem Täter verletzliche Menschen erreichen. Wenn an, kommt eine erste Nachricht als Anfrage an, die angenommen, abgelehnt, blockiert oder euch gemeldet werden kann.',
      'requests.aboutOn':
        'Mitglieder dürfen einander privat schreiben; eine erste Nachricht ist eine Anfrage.',
      'requests.aboutOff': 'Mitglieder können einander hier nicht privat schreiben.',
      'requests.log.on': 'hat erlaubt, dass Mitglieder einander privat schreiben',
      'requests.log.off': 'hat private Nachrichten zwischen Mitgliedern beendet',
    },
    ar: {
      'requests.nav': 'الطلبات',
      'requests.intro':
        'كتب إليك أعضاء من مجموعاتك ليسوا من جهات اتصالك. لن يظهر منهم شيء آخر حتى تقبل، ولا يمكنهم معرفة إن كنت قد رأيته.',
      'requests.none': 'لا توجد طلبات مراسلة.',
      'requests.listLabel': 'الطلبات المفتوحة',
      'requests.messagesLabel': 'ما كتبه {name}',
      'requests.via': 'عبر «{group}»',
      'requests.someGroup': 'مجموعة لم تعد عضوًا فيها',
      'requests.toPersona': 'إليك باسم {persona}',
      'requests.accept': 'قبول',
      'requests.accepted': 'تم القبول — أصبح {name} جهة اتصال.',
      'requests.decline': 'رفض',
      'requests.declineTitle': 'رفض طلب {name}؟',
      'requests.declineExplain': 'يُحذف الطلب. لا يُبلَّغ {name} ويمكنه الكتابة إليك مجددًا.',
      'requests.declined': 'تم الرفض — اختفى طلب {name}.',
      'requests.block': 'حظر',
      'requests.blockTitle': 'حظر {name}؟',
      'requests.blockExplain':
        'يُحذف الطلب ولا يعود {name} قادرًا على الوصول إليك: يرفض المُرحِّل ما يرسله. لا يُبلَّغ بذلك.',
      'requests.blocked': 'تم الحظر — لم يعد بإمكانه الوصول إليك.',
      'requests.blockedLater':
        'تم الحظر — سيرفضه المُرحِّل حالما تعود متصلًا؛ وحتى ذلك الحين لا يظهر شيء مما يرسله.',
      'requests.report': 'إبلاغ المشرفين',
      'requests.reportTitle': 'إبلاغ المشرفين عن {name}؟',
      'requests.reportExplain':
        'يتلقى مشرفو «{group}» ما كتبه {name} إليك. يبقى الطلب هنا حتى تقبله أو ترفضه أو تحظره.',
      'requests.reportHint': 'يقرأ هذا مشرفو «{group}».',
      'requests.reportSend': 'إرسال البلاغ',
      'requests.reported':
        '{count, plural, =0 {لا يوجد مشرف آخر في تلك المجموعة لإبلاغه.} one {تم الإبلاغ إلى مشرف واحد.} other {تم الإبلاغ إلى # مشرفين.}}',
      'requests.notify.title': 'طلب مراسلة من {name}',
      'requests.write': 'الكتابة على انفراد',
      'requests.writeNamed': 'الكتابة على انفراد إلى {name}',
      'requests.write.title': 'الكتابة على انفراد إلى {name}',
      'requests.write.hint':
        'ما لم يكن {name} من جهات اتصالك، تُرسل هذه الرسالة كطلب: لا يراها إلا بين طلباته، ويمكنه قبولها أو رفضها أو حظرك أو إبلاغ المشرفين.',
      'requests.write.label': 'الرسالة',
      'requests.write.send': 'إرسال',
      'requests.write.sent': 'أُرسلت إلى {name}.',
      'requests.sentAsRequest': 'أُرسلت كطلب — سترى الردود إن قبله',
      'requests.policy.label': 'يمكن للأعضاء مراسلة بعضهم على انفراد',
      'requests.policy.hint':
        'معطّل افتراضيًا: الرسائل الخاصة غير المرغوبة هي الطريق المعتاد للمعتدين للوصول إلى الأشخاص المستضعفين. عند تفعيله تصل الرسالة الأولى كطلب يمكن لمتلقيه قبوله أو رفضه أو حظره أو إبلاغكم.',
      'requests.aboutOn': 'يمكن للأعضاء مراسلة بعضهم على انفراد؛ الرسالة الأولى طلب.',
      'requests.aboutOff': 'لا يمكن للأعضاء هنا مراسلة بعضهم على انفراد.',
      'requests.log.on': 'سمح للأعضاء بمراسلة بعضهم على انفراد',
      'requests.log.off': 'أوقف مراسلة الأعضاء لبعضهم على انفراد',
    },
  },
);
