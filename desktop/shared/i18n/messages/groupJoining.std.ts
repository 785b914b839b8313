import { areaCatalogue } from '../catalogue.std.js';

/** Joining a group: invite links, join requests, a link's preview and the persona a group sees. */
export const groupJoiningMessages = areaCatalogue(
  {
    'groupJoining.inviteTitle': 'Invite people',
    'groupJoining.inviteHintApproval':
      'Whoever has the link can use it until it expires or is used up: share it only with people who belong here. A moderator still approves each person who uses it.',
    'groupJoining.inviteHintOpen':
      'Whoever has the link can use it until it expires or is used up: share it only with people who belong here. Whoever uses it joins at once.',
    'groupJoining.createLink': 'Create group invite link',
    'groupJoining.qr': 'QR code for joining the group',
    'groupJoining.linkUses':
      '{count, plural, one {It works for up to # person.} other {It works for up to # people.}}',
    'groupJoining.reset': 'Reset invite links',
    'groupJoining.resetHint':
      'Every invite link made so far stops working, for people who have not used it yet too. Members stay. Make new links for anyone still to come.',
    'groupJoining.stopLinks': 'Stop every invite link',
    'groupJoining.keepLinks': 'Keep them',
    'groupJoining.linksStopped': 'Every earlier invite link has stopped working.',
    'groupJoining.requests': 'Join requests',
    'groupJoining.nobodyWaiting': 'Nobody is waiting.',
    'groupJoining.askedToJoin': 'Asked to join',
    'groupJoining.introductionOf': '{name}’s introduction',
    'groupJoining.approveNamed': 'Approve {name}',
    'groupJoining.approve': 'Approve',
    'groupJoining.denyNamed': 'Deny {name}',
    'groupJoining.deny': 'Deny',
    'groupJoining.letIn': '{name} was let in.',
    'groupJoining.denyTitle': 'Deny {name}’s request?',
    'groupJoining.denyConfirm': 'Deny request',
    'groupJoining.denyHint': 'Optional. Members read it in the moderation log.',
    'groupJoining.denied': '{name}’s request was turned down.',
    'groupJoining.lookingUp': 'Looking the group up…',
    'groupJoining.aGroup': 'A group',
    'groupJoining.previewApproval':
      'A moderator approves each new member: joining sends a request.',
    'groupJoining.previewOpen': 'Whoever uses this link joins at once.',
    'groupJoining.previewNoRules': 'This group has not written down any rules.',
    'groupJoining.alreadyIn': 'You are already in this group, or asking to be.',
    'groupJoining.introduce': 'Introduce yourself (optional)',
    'groupJoining.introduceHint':
      'Up to {count} characters. The moderators read it beside your request; the relay cannot.',
    'groupJoining.whoYouAre': 'Who you are in this group',
    'groupJoining.freshPersona': 'A new persona, just for this group (recommended)',
    'groupJoining.pseudonym': 'Pseudonym in this group',
    'groupJoining.pseudonymHint':
      'Optional: left empty, Kindred makes up a name of two words. Members cannot link it to your other personas, nor the relay by its keys. Without a proxy (Settings) the relay still sees it come from the same internet address as your other personas.',
    'groupJoining.existingPersona': 'One of my personas',
    'groupJoining.persona': 'Persona',
    'groupJoining.existingHint':
      'Members of both groups could recognise the same pseudonym, and the relay sees the same key in both.',
    'groupJoining.main': ' (main)',
  },
  {
    es: {
      'groupJoining.inviteTitle': 'Invitar a personas',
      'groupJoining.inviteHintApproval':
        'Quien tenga el enlace puede usarlo hasta que caduque o se agote: compártelo solo con personas que pertenezcan a este grupo. Aun así, un moderador aprueba a cada persona que lo use.',
      'groupJoining.inviteHintOpen':
        'Quien tenga el enlace puede usarlo hasta que caduque o se agote: compártelo solo con personas que pertenezcan a este grupo. Quien lo use entra enseguida.',
      'groupJoining.createLink': 'Crear enlace de invitación al grupo',
      'groupJoining.qr': 'Código QR para unirse al grupo',
      'groupJoining.linkUses':
        '{count, plural, one {Sirve para # persona como máximo.} other {Sirve para # personas como máximo.}}',
      'groupJoining.reset': 'Restablecer los enlaces de invitación',
      'groupJoining.resetHint':
        'Todos los enlaces de invitación creados hasta ahora dejan de funcionar, también para quien aún no los haya usado. Los miembros se quedan. Crea enlaces nuevos para quien tenga que venir.',
      'groupJoining.stopLinks': 'Anular todos los enlaces',
      'groupJoining.keepLinks': 'Conservarlos',
      'groupJoining.linksStopped':
        'Todos los enlaces de invitación anteriores han dejado de funcionar.',
      'groupJoining.requests': 'Solicitudes',
      'groupJoining.nobodyWaiting': 'Nadie está esperando.',
      'groupJoining.askedToJoin': 'Pidió unirse',
      'groupJoining.introductionOf': 'Presentación de {name}',
      'groupJoining.approveNamed': 'Aprobar a {name}',
      'groupJoining.approve': 'Aprobar',
      'groupJoining.denyNamed': 'Rechazar a {name}',
      'groupJoining.deny': 'Rechazar',
      'groupJoining.letIn': '{name} ya está dentro.',
      'groupJoining.denyTitle': '¿Rechazar la solicitud de {name}?',
      'groupJoining.denyConfirm': 'Rechazar la solicitud',
      'groupJoining.denyHint': 'Opcional. Los miembros lo leen en el registro de moderación.',
      'groupJoining.denied': 'Se rechazó la solicitud de {name}.',
      'groupJoining.lookingUp': 'Buscando el grupo…',
      'groupJoining.aGroup': 'Un grupo',
      'groupJoining.previewApproval':
        'Un moderador aprueba a cada miembro nuevo: al unirte se envía una solicitud.',
      'groupJoining.previewOpen': 'Quien usa este enlace entra enseguida.',
      'groupJoining.previewNoRules': 'Este grupo no ha escrito ninguna norma.',
      'groupJoining.alreadyIn': 'Ya estás en este grupo, o has pedido unirte.',
      'groupJoining.introduce': 'Preséntate (opcional)',
      'groupJoining.introduceHint':
        'Hasta {count} caracteres. Los moderadores lo leen junto a tu solicitud; el relé no puede.',
      'groupJoining.whoYouAre': 'Quién eres en este grupo',
      'groupJoining.freshPersona': 'Una persona nueva, solo para este grupo (recomendado)',
      'groupJoining.pseudonym': 'Seudónimo en este grupo',
      'groupJoining.pseudonymHint':
        'Opcional: si lo dejas vacío, Kindred inventa un nombre de dos palabras. Los miembros no pueden relacionarlo con tus otras personas, ni el relé por sus claves. Sin un proxy (Ajustes), el relé sigue viendo que llega desde la misma dirección de internet que tus otras personas.',
      'groupJoining.existingPersona': 'Una de mis personas',
      'groupJoining.persona': 'Persona',
      'groupJoining.existingHint':
        'Los miembros de ambos grupos podrían reconocer el mismo seudónimo, y el relé ve la misma clave en los dos.',
      'groupJoining.main': ' (principal)',
    },
    fr: {
      'groupJoining.inviteTitle': 'Inviter des personnes',
      'groupJoining.inviteHintApproval':
        'Toute personne qui a le lien peut l’utiliser jusqu’à ce qu’il expire ou soit épuisé : partagez-le seulement avec des personnes qui ont leur place ici. Un modérateur accepte quand même chaque personne qui l’utilise.',
      'groupJoining.inviteHintOpen':
        'Toute personne qui a le lien peut l’utiliser jusqu’à ce qu’il expire ou soit épuisé : partagez-le seulement avec des personnes qui ont leur place ici. Qui l’utilise rejoint le groupe aussitôt.',
      'groupJoining.createLink': 'Créer un lien d’invitation au groupe',
      'groupJoining.qr': 'Code QR pour rejoindre le groupe',
      'groupJoining.linkUses':
        '{count, plural, one {Il sert à # personne au plus.} other {Il sert à # personnes au plus.}}',
      'groupJoining.reset': 'Réinitialiser les liens d’invitation',
      'groupJoining.resetHint':
        'Tous les liens d’invitation créés jusqu’ici cessent de fonctionner, y compris pour les personnes qui ne les ont pas encore utilisés. Les membres restent. Créez de nouveaux liens pour les personnes encore à venir.',
      'groupJoining.stopLinks': 'Désactiver tous les liens',
      'groupJoining.keepLinks': 'Les garder',
      'groupJoining.linksStopped': 'Tous les anciens liens d’invitation ont cessé de fonctionner.',
      'groupJoining.requests': 'Demandes d’adhésion',
      'groupJoining.nobodyWaiting': 'Personne n’attend.',
      'groupJoining.askedToJoin': 'A demandé à rejoindre le groupe',
      'groupJoining.introductionOf': 'Présentation de {name}',
      'groupJoining.approveNamed': 'Accepter {name}',
      'groupJoining.approve': 'Accepter',
      'groupJoining.denyNamed': 'Refuser {name}',
      'groupJoining.deny': 'Refuser',
      'groupJoining.letIn': '{name} fait désormais partie du groupe.',
      'groupJoining.denyTitle': 'Refuser la demande de {name} ?',
      'groupJoining.denyConfirm': 'Refuser la demande',
      'groupJoining.denyHint': 'Facultatif. Les membres le lisent dans le journal de modération.',
      'groupJoining.denied': 'La demande de {name} a été refusée.',
      'groupJoining.lookingUp': 'Recherche du groupe…',
      'groupJoining.aGroup': 'Un groupe',
      'groupJoining.previewApproval':
        'Un modérateur accepte chaque nouveau membre : rejoindre envoie une demande.',
      'groupJoining.previewOpen': 'Qui utilise ce lien rejoint le groupe aussitôt.',
      'groupJoining.previewNoRules': 'Ce groupe n’a écrit aucune règle.',
      'groupJoining.alreadyIn': 'Vous êtes déjà dans ce groupe, ou avez demandé à y entrer.',
      'groupJoining.introduce': 'Présentez-vous (facultatif)',
      'groupJoining.introduceHint':
        'Jusqu’à {count} caractères. Les modérateurs le lisent à côté de votre demande ; le relais ne le peut pas.',
      'groupJoining.whoYouAre': 'Qui vous êtes dans ce groupe',
      'groupJoining.freshPersona': 'Une nouvelle persona, rien que pour ce groupe (recommandé)',
      'groupJoining.pseudonym': 'Pseudonyme dans ce groupe',
      'groupJoining.pseudonymHint':
        'Facultatif : laissé vide, Kindred invente un nom de deux mots. Les membres ne peuvent pas le relier à vos autres personas, ni le relais par ses clés. Sans proxy (Réglages), le relais voit quand même qu’il vient de la même adresse internet que vos autres personas.',
      'groupJoining.existingPersona': 'Une de mes personas',
      'groupJoining.persona': 'Persona',
      'groupJoining.existingHint':
        'Les membres des deux groupes pourraient reconnaître le même pseudonyme, et le relais voit la même clé dans les deux.',
      'groupJoining.main': ' (principale)',
    },
    de: {
      'groupJoining.inviteTitle': 'Leute einladen',
      'groupJoining.inviteHintApproval':
        'Wer den Link hat, kann ihn nutzen, bis er abläuft oder aufgebraucht ist: Teile ihn nur mit Menschen, die hierher gehören. Ein Moderator lässt trotzdem jede Person zu, die ihn nutzt.',
      'groupJoining.inviteHintOpen':
        'Wer den Link hat, kann ihn nutzen, bis er abläuft oder aufgebraucht ist: Teile ihn nur mit Menschen, die hierher gehören. Wer ihn nutzt, tritt sofort bei.',
      'groupJoining.createLink': 'Gruppen-Einladungslink erstellen',
      'groupJoining.qr': 'QR-Code zum Beitreten der Gruppe',
      'groupJoining.linkUses':
        '{count, plural, one {Er gilt für höchstens # Person.} other {Er gilt für höchstens # Personen.}}',
      'groupJoining.reset': 'Einladungslinks zurücksetzen',
      'groupJoining.resetHint':
        'Jeder bisher erstellte Einladungslink hört auf zu funktionieren, auch für Leute, die ihn noch nicht genutzt haben. Mitglieder bleiben. Erstelle neue Links für alle, die noch kommen sollen.',
      'groupJoining.stopLinks': 'Alle Einladungslinks stoppen',
      'groupJoining.keepLinks': 'Behalten',
      'groupJoining.linksStopped': 'Alle früheren Einladungslinks funktionieren nicht mehr.',
      'groupJoining.requests': 'Beitrittsanfragen',
      'groupJoining.nobodyWaiting': 'Niemand wartet.',
      'groupJoining.askedToJoin': 'Möchte beitreten',
      'groupJoining.introductionOf': 'Vorstellung von {name}',
      'groupJoining.approveNamed': '{name} zulassen',
      'groupJoining.approve': 'Zulassen',
      'groupJoining.denyNamed': '{name} ablehnen',
      'groupJoining.deny': 'Ablehnen',
      'groupJoining.letIn': '{name} wurde hereingelassen.',
      'groupJoining.denyTitle': 'Die Anfrage von {name} ablehnen?',
      'groupJoining.denyConfirm': 'Anfrage ablehnen',
      'groupJoining.denyHint': 'Freiwillig. Mitglieder lesen ihn im Moderationsprotokoll.',
      'groupJoining.denied': 'Die Anfrage von {name} wurde abgelehnt.',
      'groupJoining.lookingUp': 'Gruppe wird gesucht…',
      'groupJoining.aGroup': 'Eine Gruppe',
      'groupJoining.previewApproval':
        'Ein Moderator lässt jedes neue Mitglied zu: Beitreten sendet eine Anfrage.',
      'groupJoining.previewOpen': 'Wer diesen Link nutzt, tritt sofort bei.',
      'groupJoining.previewNoRules': 'Diese Gruppe hat keine Regeln aufgeschrieben.',
      'groupJoining.alreadyIn': 'Du bist schon in dieser Gruppe oder hast um Beitritt gebeten.',
      'groupJoining.introduce': 'Stell dich vor (freiwillig)',
      'groupJoining.introduceHint':
        'Bis zu {count} Zeichen. Die Moderatoren lesen es neben deiner Anfrage; das Relay kann es nicht.',
      'groupJoining.whoYouAre': 'Wer du in dieser Gruppe bist',
      'groupJoining.freshPersona': 'Eine neue Persona, nur für diese Gruppe (empfohlen)',
      'groupJoining.pseudonym': 'Pseudonym in dieser Gruppe',
      'groupJoining.pseudonymHint':
        'Freiwillig: Bleibt es leer, denkt sich Kindred einen Namen aus zwei Wörtern aus. Mitglieder können es nicht mit deinen anderen Personas verbinden, das Relay nicht über seine Schlüssel. Ohne Proxy (Einstellungen) sieht das Relay trotzdem, dass es von derselben Internetadresse kommt wie deine anderen Personas.',
      'groupJoining.existingPersona': 'Eine meiner Personas',
      'groupJoining.persona': 'Persona',
      'groupJoining.existingHint':
        'Mitglieder beider Gruppen könnten dasselbe Pseudonym wiedererkennen, und das Relay sieht in beiden denselben Schlüssel.',
      'groupJoining.main': ' (Haupt-Persona)',
    },
    ar: {
      'groupJoining.inviteTitle': 'دعوة أشخاص',
      'groupJoining.inviteHintApproval':
        'يمكن لمن لديه الرابط استخدامه حتى تنتهي صلاحيته أو تنفد مرات استخدامه: شاركه فقط مع من ينتمون إلى هنا. ومع ذلك يوافق مشرف على كل شخص يستخدمه.',
      'groupJoining.inviteHintOpen':
        'يمكن لمن لديه الرابط استخدامه حتى تنتهي صلاحيته أو تنفد مرات استخدامه: شاركه فقط مع من ينتمون إلى هنا. من يستخدمه ينضم فورًا.',
      'groupJoining.createLink': 'إنشاء رابط دعوة للمجموعة',
      'groupJoining.qr': 'رمز QR للانضمام إلى المجموعة',
      'groupJoining.linkUses':
        '{count, plural, zero {يصلح لـ # شخص كحد أقصى.} one {يصلح لشخص واحد كحد أقصى.} two {يصلح لشخصين كحد أقصى.} few {يصلح لـ # أشخاص كحد أقصى.} many {يصلح لـ # شخصًا كحد أقصى.} other {يصلح لـ # شخص كحد أقصى.}}',
      'groupJoining.reset': 'إعادة تعيين روابط الدعوة',
      'groupJoining.resetHint':
        'تتوقف كل روابط الدعوة التي أُنشئت حتى الآن عن العمل، حتى لمن لم يستخدمها بعد. يبقى الأعضاء. أنشئ روابط جديدة لمن لم يأتِ بعد.',
      'groupJoining.stopLinks': 'إيقاف كل روابط الدعوة',
      'groupJoining.keepLinks': 'الإبقاء عليها',
      'groupJoining.linksStopped': 'توقفت كل روابط الدعوة السابقة عن العمل.',
      'groupJoining.requests': 'طلبات الانضمام',
      'groupJoining.nobodyWaiting': 'لا أحد ينتظر.',
      'groupJoining.askedToJoin': 'طلب الانضمام',
      'groupJoining.introductionOf': 'تعريف {name} بنفسه',
      'groupJoining.approveNamed': 'قبول {name}',
      'groupJoining.approve': 'قبول',
      'groupJoining.denyNamed': 'رفض {name}',
      'groupJoining.deny': 'رفض',
      'groupJoining.letIn': 'دخل {name} المجموعة.',
      'groupJoining.denyTitle': 'رفض طلب {name}؟',
      'groupJoining.denyConfirm': 'رفض الطلب',
      'groupJoining.denyHint': 'اختياري. يقرؤه الأعضاء في سجل الإشراف.',
      'groupJoining.denied': 'رُفض طلب {name}.',
      'groupJoining.lookingUp': 'جارٍ البحث عن المجموعة…',
      'groupJoining.aGroup': 'مجموعة',
      'groupJoining.previewApproval': 'يوافق مشرف على كل عضو جديد: الانضمام يرسل طلبًا.',
      'groupJoining.previewOpen': 'من يستخدم هذا الرابط ينضم فورًا.',
      'groupJoining.previewNoRules': 'لم تكتب هذه المجموعة أي قواعد.',
      'groupJoining.alreadyIn': 'أنت في هذه المجموعة بالفعل، أو طلبت الانضمام إليها.',
      'groupJoining.introduce': 'عرّف بنفسك (اختياري)',
      'groupJoining.introduceHint':
        'حتى {count} حرف. يقرؤه المشرفون بجانب طلبك؛ ولا يستطيع المُرحِّل ذلك.',
      'groupJoining.whoYouAre': 'من تكون في هذه المجموعة',
      'groupJoining.freshPersona': 'شخصية جديدة، لهذه المجموعة فقط (موصى به)',
      'groupJoining.pseudonym': 'الاسم المستعار في هذه المجموعة',
      'groupJoining.pseudonymHint':
        'اختياري: إن تركته فارغًا، يختلق Kindred اسمًا من كلمتين. لا يستطيع الأعضاء ربطه بشخصياتك الأخرى، ولا المُرحِّل عبر مفاتيحه. دون وكيل (الإعدادات) يظل المُرحِّل يرى أنه يأتي من عنوان الإنترنت نفسه الذي تأتي منه شخصياتك الأخرى.',
      'groupJoining.existingPersona': 'إحدى شخصياتي',
      'groupJoining.persona': 'الشخصية',
      'groupJoining.existingHint':
        'قد يتعرف أعضاء المجموعتين على الاسم المستعار نفسه، ويرى المُرحِّل المفتاح نفسه في كلتيهما.',
      'groupJoining.main': ' (الرئيسية)',
    },
  },
);
