import { areaCatalogue } from '../catalogue.std.js';

/**
 * The alert banners' words (AlertAbout in api.std.ts): someone passing as a contact, a relay
 * failure retrying will not fix, and each group rule the relay was caught breaking (by core's
 * warning kind). The banner's heading is the shell's.
 */
export const alertMessages = areaCatalogue(
  {
    'alerts.impersonation':
      'Someone tried to pass as one of your contacts. Nothing from them was accepted.',
    'alerts.relayFailure':
      'Kindred ran into a problem talking to the relay that retrying will not fix.',
    'alerts.forgedOperation':
      'The relay passed on a group change nobody with that right signed. It was refused.',
    'alerts.fork': 'The relay is showing members different versions of this group.',
    'alerts.withheldOperations': 'The relay seems to hold back changes to this group from you.',
    'alerts.ghostMember': 'A message came from someone who is not a member. It was refused.',
    'alerts.mutedPost': 'A muted member’s message came through the relay. It was refused.',
    'alerts.restrictedPost':
      'A message from someone not allowed to post came through the relay. It was refused.',
    'alerts.slowModePost': 'A message that broke slow mode came through the relay. It was refused.',
    'alerts.withheldPosts': 'The relay seems to hold back some of a member’s messages from you.',
    'alerts.reorderedPosts': 'The relay delivered a member’s messages out of order.',
    'alerts.otherWarning': 'The relay did something against this group’s rules.',
  },
  {
    es: {
      'alerts.impersonation':
        'Alguien intentó hacerse pasar por uno de tus contactos. No se aceptó nada suyo.',
      'alerts.relayFailure':
        'Kindred tuvo un problema al hablar con el relé que no se arreglará reintentando.',
      'alerts.forgedOperation':
        'El relé transmitió un cambio del grupo que no firmó nadie con ese derecho. Se rechazó.',
      'alerts.fork': 'El relé está mostrando a los miembros versiones distintas de este grupo.',
      'alerts.withheldOperations': 'Parece que el relé te oculta cambios de este grupo.',
      'alerts.ghostMember': 'Llegó un mensaje de alguien que no es miembro. Se rechazó.',
      'alerts.mutedPost': 'El relé dejó pasar un mensaje de un miembro silenciado. Se rechazó.',
      'alerts.restrictedPost':
        'El relé dejó pasar un mensaje de alguien que no puede publicar. Se rechazó.',
      'alerts.slowModePost':
        'El relé dejó pasar un mensaje que se saltó el modo lento. Se rechazó.',
      'alerts.withheldPosts': 'Parece que el relé te oculta algunos mensajes de un miembro.',
      'alerts.reorderedPosts': 'El relé entregó los mensajes de un miembro desordenados.',
      'alerts.otherWarning': 'El relé hizo algo contra las normas de este grupo.',
    },
    fr: {
      'alerts.impersonation':
        'Quelqu’un a tenté de se faire passer pour l’un de vos contacts. Rien de sa part n’a été accepté.',
      'alerts.relayFailure':
        'Kindred a rencontré avec le relais un problème que de nouvelles tentatives ne régleront pas.',
      'alerts.forgedOperation':
        'Le relais a transmis une modification du groupe que personne ayant ce droit n’a signée. Elle a été refusée.',
      'alerts.fork': 'Le relais montre aux membres des versions différentes de ce groupe.',
      'alerts.withheldOperations': 'Le relais semble vous cacher des modifications de ce groupe.',
      'alerts.ghostMember':
        'Un message est venu de quelqu’un qui n’est pas membre. Il a été refusé.',
      'alerts.mutedPost':
        'Le message d’un membre réduit au silence est passé par le relais. Il a été refusé.',
      'alerts.restrictedPost':
        'Le message de quelqu’un qui n’a pas le droit de publier est passé par le relais. Il a été refusé.',
      'alerts.slowModePost':
        'Un message qui ne respectait pas le mode lent est passé par le relais. Il a été refusé.',
      'alerts.withheldPosts': 'Le relais semble vous cacher certains messages d’un membre.',
      'alerts.reorderedPosts': 'Le relais a remis les messages d’un membre dans le désordre.',
      'alerts.otherWarning': 'Le relais a enfreint les règles de ce groupe.',
    },
    de: {
      'alerts.impersonation':
        'Jemand hat versucht, sich als einer deiner Kontakte auszugeben. Nichts davon wurde angenommen.',
      'alerts.relayFailure':
        'Kindred hat ein Problem mit dem Relay, das erneutes Versuchen nicht behebt.',
      'alerts.forgedOperation':
        'Das Relay hat eine Gruppenänderung weitergegeben, die niemand mit diesem Recht signiert hat. Sie wurde abgelehnt.',
      'alerts.fork': 'Das Relay zeigt Mitgliedern unterschiedliche Fassungen dieser Gruppe.',
      'alerts.withheldOperations':
        'Das Relay scheint dir Änderungen an dieser Gruppe vorzuenthalten.',
      'alerts.ghostMember':
        'Eine Nachricht kam von jemandem, der kein Mitglied ist. Sie wurde abgelehnt.',
      'alerts.mutedPost':
        'Die Nachricht eines stummgeschalteten Mitglieds kam über das Relay. Sie wurde abgelehnt.',
      'alerts.restrictedPost':
        'Eine Nachricht von jemandem, der nicht posten darf, kam über das Relay. Sie wurde abgelehnt.',
      'alerts.slowModePost':
        'Eine Nachricht, die den langsamen Modus missachtet, kam über das Relay. Sie wurde abgelehnt.',
      'alerts.withheldPosts':
        'Das Relay scheint dir einige Nachrichten eines Mitglieds vorzuenthalten.',
      'alerts.reorderedPosts':
        'Das Relay hat die Nachrichten eines Mitglieds in falscher Reihenfolge zugestellt.',
      'alerts.otherWarning': 'Das Relay hat gegen die Regeln dieser Gruppe verstoßen.',
    },
    ar: {
      'alerts.impersonation': 'حاول أحدهم انتحال صفة إحدى جهات اتصالك. لم يُقبل منه أي شيء.',
      'alerts.relayFailure': 'واجه Kindred مشكلة في التواصل مع المُرحِّل لن تحلّها إعادة المحاولة.',
      'alerts.forgedOperation':
        'مرّر المُرحِّل تغييرًا على المجموعة لم يوقّعه أحد ممن يملكون هذا الحق. رُفض التغيير.',
      'alerts.fork': 'يعرض المُرحِّل على الأعضاء نسخًا مختلفة من هذه المجموعة.',
      'alerts.withheldOperations': 'يبدو أن المُرحِّل يحجب عنك تغييرات على هذه المجموعة.',
      'alerts.ghostMember': 'وصلت رسالة من شخص ليس عضوًا. رُفضت الرسالة.',
      'alerts.mutedPost': 'مرّت عبر المُرحِّل رسالة من عضو مكتوم. رُفضت الرسالة.',
      'alerts.restrictedPost': 'مرّت عبر المُرحِّل رسالة من شخص غير مسموح له بالنشر. رُفضت الرسالة.',
      'alerts.slowModePost': 'مرّت عبر المُرحِّل رسالة خالفت الوضع البطيء. رُفضت الرسالة.',
      'alerts.withheldPosts': 'يبدو أن المُرحِّل يحجب عنك بعض رسائل أحد الأعضاء.',
      'alerts.reorderedPosts': 'سلّم المُرحِّل رسائل أحد الأعضاء بغير ترتيبها.',
      'alerts.otherWarning': 'فعل المُرحِّل شيئًا مخالفًا لقواعد هذه المجموعة.',
    },
  },
);
