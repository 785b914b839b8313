import { areaCatalogue } from '../catalogue.std.js';

/** An open chat (1:1 or group): its header, pinned messages, the list and why one cannot post. */
export const conversationMessages = areaCatalogue(
  {
    'conversation.textCopied': 'Text copied.',
    'conversation.copyFailed': 'Could not copy the text.',
    'conversation.slowMode': 'Slow mode: one message every {duration}.',
    'conversation.imageWarnings': 'This group asks for a content warning on images.',
    'conversation.appearAs': 'You appear here as {pseudonym}',
    'conversation.memberCount':
      '· {count, plural, one {# member} other {# members}}{role, select, owner { · you are the owner} moderator { · you are a moderator} other {}}',
    'conversation.verified': 'Verified',
    'conversation.notVerified':
      'Not verified yet: compare your safety number to be sure who this is.',
    'conversation.rulesAndInfo': 'Rules and info',
    'conversation.members': 'Members',
    'conversation.verifiedTitle':
      'You verified {name}. Open the safety number to compare it again.',
    'conversation.safetyNumber': 'Safety number',
    'conversation.relayWarnings':
      'Your app caught the relay breaking this group’s rules {count, plural, one {once} other {# times}}.',
    'conversation.seeWarnings': 'See warnings',
    'conversation.messagesHeading': 'Messages',
    'conversation.emptyGroup': 'No messages yet. Say hello when you are ready — there is no hurry.',
    'conversation.emptyChat':
      'No messages yet. Everything you write to {name} is end-to-end encrypted.',
    'conversation.messagesIn': 'Messages in {name}',
    'conversation.standing': '{standing}.',
    'conversation.reportSavedNoModerator':
      'Report saved, but this group has no moderator to receive it right now.',
    'conversation.reportSent':
      'Report sent to {count, plural, one {# moderator} other {# moderators}}.',
    'conversation.blockRequested':
      'A moderator will look at your request to join. You can post once you are let in.',
    'conversation.blockRemoved': 'You can read what was here, but not post.',
    'conversation.blockLeft': 'You can read what was here. To come back, you need a new invite.',
    'conversation.blockWaitingForKey':
      'Waiting for a member to share the group key with you. It comes when a moderator is next online; then you can read and post.',
    'conversation.blockMuted':
      'A moderator muted you until {time}. You can read, but not post until then.',
    'conversation.blockModeratorsOnly':
      'Only moderators can post in this group. You can read along.',
    'conversation.pinned': 'Pinned messages',
    'conversation.deletedByModerator': 'Deleted by a moderator',
    'conversation.covered': 'Covered: {warning}',
    'conversation.showFewer': 'Show fewer',
    'conversation.allPinned': 'All {count} pinned',
    'conversation.today': 'Today',
    'conversation.yesterday': 'Yesterday',
    'conversation.newMessage': 'New message from {name} at {time}: {text}',
    'conversation.newCoveredMessage':
      'New message from {name} at {time}: covered, content warning: {warning}',
    'conversation.newMessages': '{count, plural, one {# new message} other {# new messages}}.',
    'conversation.pinnedAuthor': '{name}:',
  },
  {
    es: {
      'conversation.textCopied': 'Texto copiado.',
      'conversation.copyFailed': 'No se pudo copiar el texto.',
      'conversation.slowMode': 'Modo lento: un mensaje cada {duration}.',
      'conversation.imageWarnings': 'Este grupo pide un aviso de contenido en las imágenes.',
      'conversation.appearAs': 'Aquí apareces como {pseudonym}',
      'conversation.memberCount':
        '· {count, plural, one {# miembro} other {# miembros}}{role, select, owner { · eres quien lo creó y administra} moderator { · eres moderador o moderadora} other {}}',
      'conversation.verified': 'Verificado',
      'conversation.notVerified':
        'Aún sin verificar: compara vuestro número de seguridad para estar seguro de quién es.',
      'conversation.rulesAndInfo': 'Normas e información',
      'conversation.members': 'Miembros',
      'conversation.verifiedTitle':
        'Verificaste a {name}. Abre el número de seguridad para compararlo de nuevo.',
      'conversation.safetyNumber': 'Número de seguridad',
      'conversation.relayWarnings':
        'Tu aplicación descubrió al relé incumpliendo las normas de este grupo {count, plural, one {una vez} other {# veces}}.',
      'conversation.seeWarnings': 'Ver avisos',
      'conversation.messagesHeading': 'Mensajes',
      'conversation.emptyGroup':
        'Aún no hay mensajes. Saluda cuando te sientas preparado; no hay ninguna prisa.',
      'conversation.emptyChat':
        'Aún no hay mensajes. Todo lo que escribas a {name} está cifrado de extremo a extremo.',
      'conversation.messagesIn': 'Mensajes con {name}',
      'conversation.standing': '{standing}.',
      'conversation.reportSavedNoModerator':
        'Denuncia guardada, pero ahora mismo este grupo no tiene moderadores que la reciban.',
      'conversation.reportSent':
        'Denuncia enviada a {count, plural, one {# moderador} other {# moderadores}}.',
      'conversation.blockRequested':
        'Un moderador revisará tu solicitud para unirte. Podrás escribir cuando te dejen entrar.',
      'conversation.blockRemoved': 'Puedes leer lo que había aquí, pero no escribir.',
      'conversation.blockLeft':
        'Puedes leer lo que había aquí. Para volver, necesitas una invitación nueva.',
      'conversation.blockWaitingForKey':
        'Esperando a que un miembro comparta contigo la clave del grupo. Llegará cuando un moderador se conecte; entonces podrás leer y escribir.',
      'conversation.blockMuted':
        'Un moderador te silenció hasta el {time}. Hasta entonces puedes leer, pero no escribir.',
      'conversation.blockModeratorsOnly':
        'En este grupo solo escriben los moderadores. Puedes leer lo que se publica.',
      'conversation.pinned': 'Mensajes fijados',
      'conversation.deletedByModerator': 'Eliminado por un moderador',
      'conversation.covered': 'Oculto: {warning}',
      'conversation.showFewer': 'Mostrar menos',
      'conversation.allPinned': 'Los {count} fijados',
      'conversation.today': 'Hoy',
      'conversation.yesterday': 'Ayer',
      'conversation.newMessage': 'Mensaje nuevo de {name} a las {time}: {text}',
      'conversation.newCoveredMessage':
        'Mensaje nuevo de {name} a las {time}: oculto, aviso de contenido: {warning}',
      'conversation.newMessages':
        '{count, plural, one {# mensaje nuevo} other {# mensajes nuevos}}.',
      'conversation.pinnedAuthor': '{name}:',
    },
    fr: {
      'conversation.textCopied': 'Texte copié.',
      'conversation.copyFailed': 'Impossible de copier le texte.',
      'conversation.slowMode': 'Mode lent : un message toutes les {duration}.',
      'conversation.imageWarnings': 'Ce groupe demande un avertissement de contenu sur les images.',
      'conversation.appearAs': 'Ici, vous apparaissez sous le nom {pseudonym}',
      'conversation.memberCount':
        '· {count, plural, one {# membre} other {# membres}}{role, select, owner { · vous en êtes le propriétaire} moderator { · vous êtes modérateur} other {}}',
      'conversation.verified': 'Vérifié',
      'conversation.notVerified':
        'Pas encore vérifié : comparez votre numéro de sécurité pour être sûr de savoir qui c’est.',
      'conversation.rulesAndInfo': 'Règles et infos',
      'conversation.members': 'Membres',
      'conversation.verifiedTitle':
        'Vous avez vérifié {name}. Ouvrez le numéro de sécurité pour le comparer à nouveau.',
      'conversation.safetyNumber': 'Numéro de sécurité',
      'conversation.relayWarnings':
        'Votre application a surpris le relais en train d’enfreindre les règles de ce groupe {count, plural, one {une fois} other {# fois}}.',
      'conversation.seeWarnings': 'Voir les avertissements',
      'conversation.messagesHeading': 'Liste des messages',
      'conversation.emptyGroup':
        'Pas encore de messages. Dites bonjour quand vous vous sentez prêt — rien ne presse.',
      'conversation.emptyChat':
        'Pas encore de messages. Tout ce que vous écrivez à {name} est chiffré de bout en bout.',
      'conversation.messagesIn': 'Messages avec {name}',
      'conversation.standing': '{standing}.',
      'conversation.reportSavedNoModerator':
        'Signalement enregistré, mais ce groupe n’a pour l’instant aucun modérateur pour le recevoir.',
      'conversation.reportSent':
        'Signalement envoyé à {count, plural, one {# modérateur} other {# modérateurs}}.',
      'conversation.blockRequested':
        'Un modérateur examinera votre demande. Vous pourrez écrire une fois admis.',
      'conversation.blockRemoved': 'Vous pouvez lire ce qui était ici, mais pas écrire.',
      'conversation.blockLeft':
        'Vous pouvez lire ce qui était ici. Pour revenir, il vous faut une nouvelle invitation.',
      'conversation.blockWaitingForKey':
        'En attente qu’un membre vous partage la clé du groupe. Elle arrive quand un modérateur se connecte ; vous pourrez alors lire et écrire.',
      'conversation.blockMuted':
        'Un modérateur vous a mis en sourdine jusqu’au {time}. D’ici là, vous pouvez lire mais pas écrire.',
      'conversation.blockModeratorsOnly':
        'Seuls les modérateurs peuvent écrire dans ce groupe. Vous pouvez suivre la lecture.',
      'conversation.pinned': 'Messages épinglés',
      'conversation.deletedByModerator': 'Supprimé par un modérateur',
      'conversation.covered': 'Masqué : {warning}',
      'conversation.showFewer': 'Afficher moins',
      'conversation.allPinned': 'Les {count} épinglés',
      'conversation.today': 'Aujourd’hui',
      'conversation.yesterday': 'Hier',
      'conversation.newMessage': 'Nouveau message de {name} à {time} : {text}',
      'conversation.newCoveredMessage':
        'Nouveau message de {name} à {time} : masqué, avertissement de contenu : {warning}',
      'conversation.newMessages':
        '{count, plural, one {# nouveau message} other {# nouveaux messages}}.',
      'conversation.pinnedAuthor': '{name} :',
    },
    de: {
      'conversation.textCopied': 'Text kopiert.',
      'conversation.copyFailed': 'Der Text konnte nicht kopiert werden.',
      'conversation.slowMode': 'Langsamer Modus: eine Nachricht alle {duration}.',
      'conversation.imageWarnings': 'Diese Gruppe bittet um eine Inhaltswarnung bei Bildern.',
      'conversation.appearAs': 'Hier erscheinst du als {pseudonym}',
      'conversation.memberCount':
        '· {count, plural, one {# Mitglied} other {# Mitglieder}}{role, select, owner { · du bist Inhaber*in} moderator { · du moderierst} other {}}',
      'conversation.verified': 'Verifiziert',
      'conversation.notVerified':
        'Noch nicht verifiziert: Vergleicht eure Sicherheitsnummer, um sicher zu sein, wer das ist.',
      'conversation.rulesAndInfo': 'Regeln und Infos',
      'conversation.members': 'Mitglieder',
      'conversation.verifiedTitle':
        'Du hast {name} verifiziert. Öffne die Sicherheitsnummer, um sie erneut zu vergleichen.',
      'conversation.safetyNumber': 'Sicherheitsnummer',
      'conversation.relayWarnings':
        'Deine App hat das Relay {count, plural, one {einmal} other {# Mal}} dabei ertappt, die Regeln dieser Gruppe zu brechen.',
      'conversation.seeWarnings': 'Warnungen ansehen',
      'conversation.messagesHeading': 'Nachrichten',
      'conversation.emptyGroup':
        'Noch keine Nachrichten. Sag Hallo, wenn du bereit bist — es eilt nicht.',
      'conversation.emptyChat':
        'Noch keine Nachrichten. Alles, was du {name} schreibst, ist Ende-zu-Ende-verschlüsselt.',
      'conversation.messagesIn': 'Nachrichten mit {name}',
      'conversation.standing': '{standing}.',
      'conversation.reportSavedNoModerator':
        'Meldung gespeichert, aber diese Gruppe hat gerade niemanden, der moderiert und sie empfangen kann.',
      'conversation.reportSent':
        'Meldung an {count, plural, one {# Moderator*in} other {# Moderator*innen}} gesendet.',
      'conversation.blockRequested':
        'Jemand aus der Moderation sieht sich deine Beitrittsanfrage an. Sobald du aufgenommen bist, kannst du schreiben.',
      'conversation.blockRemoved': 'Du kannst lesen, was hier war, aber nicht schreiben.',
      'conversation.blockLeft':
        'Du kannst lesen, was hier war. Um zurückzukommen, brauchst du eine neue Einladung.',
      'conversation.blockWaitingForKey':
        'Warte darauf, dass ein Mitglied den Gruppenschlüssel mit dir teilt. Er kommt, sobald jemand aus der Moderation online ist; dann kannst du lesen und schreiben.',
      'conversation.blockMuted':
        'Die Moderation hat dich bis {time} stummgeschaltet. Bis dahin kannst du lesen, aber nicht schreiben.',
      'conversation.blockModeratorsOnly':
        'In dieser Gruppe kann nur die Moderation schreiben. Du kannst mitlesen.',
      'conversation.pinned': 'Angeheftete Nachrichten',
      'conversation.deletedByModerator': 'Von der Moderation gelöscht',
      'conversation.covered': 'Verdeckt: {warning}',
      'conversation.showFewer': 'Weniger anzeigen',
      'conversation.allPinned': 'Alle {count} angehefteten',
      'conversation.today': 'Heute',
      'conversation.yesterday': 'Gestern',
      'conversation.newMessage': 'Neue Nachricht von {name} um {time}: {text}',
      'conversation.newCoveredMessage':
        'Neue Nachricht von {name} um {time}: verdeckt, Inhaltswarnung: {warning}',
      'conversation.newMessages':
        '{count, plural, one {# neue Nachricht} other {# neue Nachrichten}}.',
      'conversation.pinnedAuthor': '{name}:',
    },
    ar: {
      'conversation.textCopied': 'نُسخ النص.',
      'conversation.copyFailed': 'تعذّر نسخ النص.',
      'conversation.slowMode': 'الوضع البطيء: رسالة واحدة كل {duration}.',
      'conversation.imageWarnings': 'تطلب هذه المجموعة تحذيرًا من المحتوى على الصور.',
      'conversation.appearAs': 'تظهر هنا باسم {pseudonym}',
      'conversation.memberCount':
        '· {count, plural, zero {لا أعضاء} one {عضو واحد} two {عضوان} few {# أعضاء} many {# عضوًا} other {# عضو}}{role, select, owner { · أنت المالك} moderator { · أنت مشرف} other {}}',
      'conversation.verified': 'تم التحقق',
      'conversation.notVerified': 'لم يتم التحقق بعد: قارن رقم الأمان لتتأكد من هوية هذا الشخص.',
      'conversation.rulesAndInfo': 'القواعد والمعلومات',
      'conversation.members': 'الأعضاء',
      'conversation.verifiedTitle': 'لقد تحققت من {name}. افتح رقم الأمان لمقارنته مرة أخرى.',
      'conversation.safetyNumber': 'رقم الأمان',
      'conversation.relayWarnings':
        'ضبط تطبيقك المُرحِّل وهو يخالف قواعد هذه المجموعة {count, plural, zero {# مرة} one {مرة واحدة} two {مرتين} few {# مرات} many {# مرة} other {# مرة}}.',
      'conversation.seeWarnings': 'عرض التحذيرات',
      'conversation.messagesHeading': 'الرسائل',
      'conversation.emptyGroup': 'لا توجد رسائل بعد. ألقِ التحية متى شعرت بالاستعداد، فلا عجلة.',
      'conversation.emptyChat': 'لا توجد رسائل بعد. كل ما تكتبه إلى {name} مشفّر من طرف إلى طرف.',
      'conversation.messagesIn': 'الرسائل مع {name}',
      'conversation.standing': '{standing}.',
      'conversation.reportSavedNoModerator':
        'حُفظ البلاغ، لكن لا يوجد في هذه المجموعة الآن مشرف يستلمه.',
      'conversation.reportSent':
        'أُرسل البلاغ إلى {count, plural, zero {# مشرف} one {مشرف واحد} two {مشرفَين} few {# مشرفين} many {# مشرفًا} other {# مشرف}}.',
      'conversation.blockRequested': 'سينظر أحد المشرفين في طلب انضمامك. يمكنك النشر بعد قبولك.',
      'conversation.blockRemoved': 'يمكنك قراءة ما كان هنا، لكن لا يمكنك النشر.',
      'conversation.blockLeft': 'يمكنك قراءة ما كان هنا. للعودة تحتاج إلى دعوة جديدة.',
      'conversation.blockWaitingForKey':
        'في انتظار أن يشاركك أحد الأعضاء مفتاح المجموعة. يصل حين يتصل أحد المشرفين؛ عندها يمكنك القراءة والنشر.',
      'conversation.blockMuted':
        'كتم أحد المشرفين صوتك حتى {time}. يمكنك القراءة، لكن لا يمكنك النشر حتى ذلك الحين.',
      'conversation.blockModeratorsOnly':
        'لا يمكن النشر في هذه المجموعة إلا للمشرفين. يمكنك المتابعة بالقراءة.',
      'conversation.pinned': 'الرسائل المثبّتة',
      'conversation.deletedByModerator': 'حذفها أحد المشرفين',
      'conversation.covered': 'مخفي: {warning}',
      'conversation.showFewer': 'عرض أقل',
      'conversation.allPinned': 'كل المثبّتة ({count})',
      'conversation.today': 'اليوم',
      'conversation.yesterday': 'أمس',
      'conversation.newMessage': 'رسالة جديدة من {name} في {time}: {text}',
      'conversation.newCoveredMessage':
        'رسالة جديدة من {name} في {time}: مخفية، تحذير من المحتوى: {warning}',
      'conversation.newMessages':
        '{count, plural, zero {لا رسائل جديدة} one {رسالة جديدة واحدة} two {رسالتان جديدتان} few {# رسائل جديدة} many {# رسالة جديدة} other {# رسالة جديدة}}.',
      'conversation.pinnedAuthor': '{name}:',
    },
  },
);
