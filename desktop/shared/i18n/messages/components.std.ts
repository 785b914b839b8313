import { areaCatalogue } from '../catalogue.std.js';

/** The shared parts: dialogs, invite links, new passphrases, reasons. */
export const componentsMessages = areaCatalogue(
  {
    'components.close': 'Close',
    'components.cancel': 'Cancel',
    'components.openChat': 'Open chat',
    'components.linkCopied': 'Link copied.',
    'components.copyFailed': 'Could not copy. Select the link and copy it by hand.',
    'components.linkNote': '{note} It works until {time}.',
    'components.copied': 'Copied',
    'components.copyLink': 'Copy link',
    'components.qrTooLong': 'This link is too long for a QR code.',
    'components.inviteUsedUp':
      'This link is used up ({uses, plural, one {# use} other {# uses}}). Make a new one to invite someone else.',
    'components.inviteExpired': 'This link has expired. Make a new one to invite someone else.',
    'components.inviteRevoked':
      'This link no longer works: links were reset, or the person who joined with it was removed. Make a new one to invite someone else.',
    'components.uses': 'Uses',
    'components.usesHint': 'How many people can use the link.',
    'components.expiresAfter': 'Expires after',
    'components.reason': 'Reason',
    'components.passphraseChecking': 'Checking how strong the passphrase is. One moment.',
    'components.choosePassphrase': 'Choose a passphrase.',
    'components.passphraseWeak':
      'This passphrase is easy to guess. Make it longer, or tick "Use it anyway".',
    'components.passphrasesDiffer': 'The two passphrases are not the same.',
    'components.strength': 'Strength',
    'components.notRated': 'Not rated yet',
    'components.strengthIs': 'Strength: {label}',
    'components.nothingTyped': 'nothing typed yet',
    'components.crackTime': 'Time to guess it from a stolen copy of your data: {time}.',
    'components.passphraseAdvice':
      'A few unrelated words make a strong passphrase that is easy to remember. There is no way to recover it if you forget it.',
    'components.typeAgain': 'Type it again',
    'components.notSameYet': 'Not the same as above yet.',
    'components.showTyped': 'Show what I type',
    'components.useAnyway': 'Use it anyway (I understand it is easy to guess)',
  },
  {
    es: {
      'components.close': 'Cerrar',
      'components.cancel': 'Cancelar',
      'components.openChat': 'Abrir chat',
      'components.linkCopied': 'Enlace copiado.',
      'components.copyFailed': 'No se pudo copiar. Selecciona el enlace y cópialo a mano.',
      'components.linkNote': '{note} Funciona hasta el {time}.',
      'components.copied': 'Copiado',
      'components.copyLink': 'Copiar enlace',
      'components.qrTooLong': 'Este enlace es demasiado largo para un código QR.',
      'components.inviteUsedUp':
        'Este enlace ya se usó ({uses, plural, one {# vez} other {# veces}}). Crea uno nuevo para invitar a otra persona.',
      'components.inviteExpired': 'Este enlace caducó. Crea uno nuevo para invitar a otra persona.',
      'components.inviteRevoked':
        'Este enlace ya no funciona: se restablecieron los enlaces o se quitó a quien entró con él. Crea uno nuevo para invitar a otra persona.',
      'components.uses': 'Usos',
      'components.usesHint': 'Cuántas personas pueden usar el enlace.',
      'components.expiresAfter': 'Caduca tras',
      'components.reason': 'Motivo',
      'components.passphraseChecking':
        'Comprobando la fortaleza de la frase de contraseña. Un momento.',
      'components.choosePassphrase': 'Elige una frase de contraseña.',
      'components.passphraseWeak':
        'Esta frase de contraseña es fácil de adivinar. Hazla más larga, o marca "Usarla de todos modos".',
      'components.passphrasesDiffer': 'Las dos frases de contraseña no son iguales.',
      'components.strength': 'Fortaleza',
      'components.notRated': 'Aún sin valorar',
      'components.strengthIs': 'Fortaleza: {label}',
      'components.nothingTyped': 'aún no has escrito nada',
      'components.crackTime':
        'Tiempo para adivinarla a partir de una copia robada de tus datos: {time}.',
      'components.passphraseAdvice':
        'Unas cuantas palabras sin relación forman una frase de contraseña fuerte y fácil de recordar. No hay forma de recuperarla si la olvidas.',
      'components.typeAgain': 'Escríbela otra vez',
      'components.notSameYet': 'Aún no coincide con la de arriba.',
      'components.showTyped': 'Mostrar lo que escribo',
      'components.useAnyway': 'Usarla de todos modos (entiendo que es fácil de adivinar)',
    },
    fr: {
      'components.close': 'Fermer',
      'components.cancel': 'Annuler',
      'components.openChat': 'Ouvrir la discussion',
      'components.linkCopied': 'Lien copié.',
      'components.copyFailed': 'Copie impossible. Sélectionnez le lien et copiez-le vous-même.',
      'components.linkNote': '{note} Il fonctionne jusqu’au {time}.',
      'components.copied': 'Copié',
      'components.copyLink': 'Copier le lien',
      'components.qrTooLong': 'Ce lien est trop long pour un code QR.',
      'components.inviteUsedUp':
        'Ce lien a été utilisé ({uses, plural, one {# fois} other {# fois}}) et ne sert plus. Créez-en un nouveau pour inviter quelqu’un d’autre.',
      'components.inviteExpired':
        'Ce lien a expiré. Créez-en un nouveau pour inviter quelqu’un d’autre.',
      'components.inviteRevoked':
        'Ce lien ne fonctionne plus : les liens ont été réinitialisés, ou la personne entrée avec lui a été retirée. Créez-en un nouveau pour inviter quelqu’un d’autre.',
      'components.uses': 'Utilisations',
      'components.usesHint': 'Combien de personnes peuvent utiliser le lien.',
      'components.expiresAfter': 'Expire après',
      'components.reason': 'Motif',
      'components.passphraseChecking':
        'Vérification de la solidité de la phrase secrète. Un instant.',
      'components.choosePassphrase': 'Choisissez une phrase secrète.',
      'components.passphraseWeak':
        'Cette phrase secrète est facile à deviner. Allongez-la, ou cochez « L’utiliser quand même ».',
      'components.passphrasesDiffer': 'Les deux phrases secrètes ne sont pas identiques.',
      'components.strength': 'Solidité',
      'components.notRated': 'Pas encore évaluée',
      'components.strengthIs': 'Solidité : {label}',
      'components.nothingTyped': 'rien de saisi pour l’instant',
      'components.crackTime':
        'Temps pour la deviner à partir d’une copie volée de vos données : {time}.',
      'components.passphraseAdvice':
        'Quelques mots sans rapport entre eux font une phrase secrète solide et facile à retenir. Impossible de la récupérer si vous l’oubliez.',
      'components.typeAgain': 'Saisissez-la à nouveau',
      'components.notSameYet': 'Pas encore identique à celle du dessus.',
      'components.showTyped': 'Afficher ce que je saisis',
      'components.useAnyway': 'L’utiliser quand même (je comprends qu’elle est facile à deviner)',
    },
    de: {
      'components.close': 'Schließen',
      'components.cancel': 'Abbrechen',
      'components.openChat': 'Chat öffnen',
      'components.linkCopied': 'Link kopiert.',
      'components.copyFailed': 'Kopieren ging nicht. Markiere den Link und kopiere ihn von Hand.',
      'components.linkNote': '{note} Er gilt bis {time}.',
      'components.copied': 'Kopiert',
      'components.copyLink': 'Link kopieren',
      'components.qrTooLong': 'Dieser Link ist zu lang für einen QR-Code.',
      'components.inviteUsedUp':
        'Dieser Link ist aufgebraucht ({uses, plural, one {# Nutzung} other {# Nutzungen}}). Erstelle einen neuen, um jemand anderen einzuladen.',
      'components.inviteExpired':
        'Dieser Link ist abgelaufen. Erstelle einen neuen, um jemand anderen einzuladen.',
      'components.inviteRevoked':
        'Dieser Link funktioniert nicht mehr: Die Links wurden zurückgesetzt, oder die Person, die mit ihm beigetreten ist, wurde entfernt. Erstelle einen neuen, um jemand anderen einzuladen.',
      'components.uses': 'Nutzungen',
      'components.usesHint': 'Wie viele Personen den Link nutzen können.',
      'components.expiresAfter': 'Läuft ab nach',
      'components.reason': 'Grund',
      'components.passphraseChecking': 'Die Stärke der Passphrase wird geprüft. Einen Moment.',
      'components.choosePassphrase': 'Wähle eine Passphrase.',
      'components.passphraseWeak':
        'Diese Passphrase ist leicht zu erraten. Mach sie länger oder kreuze „Trotzdem verwenden“ an.',
      'components.passphrasesDiffer': 'Die beiden Passphrasen stimmen nicht überein.',
      'components.strength': 'Stärke',
      'components.notRated': 'Noch nicht bewertet',
      'components.strengthIs': 'Stärke: {label}',
      'components.nothingTyped': 'noch nichts eingegeben',
      'components.crackTime':
        'Zeit, sie aus einer gestohlenen Kopie deiner Daten zu erraten: {time}.',
      'components.passphraseAdvice':
        'Ein paar Wörter, die nichts miteinander zu tun haben, ergeben eine starke Passphrase, die leicht zu merken ist. Wenn du sie vergisst, lässt sie sich nicht wiederherstellen.',
      'components.typeAgain': 'Noch einmal eingeben',
      'components.notSameYet': 'Noch nicht gleich wie oben.',
      'components.showTyped': 'Eingabe anzeigen',
      'components.useAnyway': 'Trotzdem verwenden (ich weiß, dass sie leicht zu erraten ist)',
    },
    ar: {
      'components.close': 'إغلاق',
      'components.cancel': 'إلغاء',
      'components.openChat': 'افتح المحادثة',
      'components.linkCopied': 'نُسخ الرابط.',
      'components.copyFailed': 'تعذّر النسخ. حدّد الرابط وانسخه يدويًا.',
      'components.linkNote': '{note} يعمل حتى {time}.',
      'components.copied': 'نُسخ',
      'components.copyLink': 'انسخ الرابط',
      'components.qrTooLong': 'هذا الرابط أطول من أن يُعرض في رمز QR.',
      'components.inviteUsedUp':
        'استُخدم هذا الرابط ({uses, plural, one {مرة واحدة} two {مرتين} few {# مرات} many {# مرة} other {# مرة}}) ولم يعد يعمل. أنشئ رابطًا جديدًا لدعوة شخص آخر.',
      'components.inviteExpired': 'انتهت صلاحية هذا الرابط. أنشئ رابطًا جديدًا لدعوة شخص آخر.',
      'components.inviteRevoked':
        'لم يعد هذا الرابط يعمل: أُعيد تعيين الروابط، أو أُزيل من انضم به. أنشئ رابطًا جديدًا لدعوة شخص آخر.',
      'components.uses': 'مرات الاستخدام',
      'components.usesHint': 'كم شخصًا يمكنه استخدام الرابط.',
      'components.expiresAfter': 'تنتهي صلاحيته بعد',
      'components.reason': 'السبب',
      'components.passphraseChecking': 'جارٍ التحقق من قوة عبارة المرور. لحظة من فضلك.',
      'components.choosePassphrase': 'اختر عبارة مرور.',
      'components.passphraseWeak':
        'عبارة المرور هذه سهلة التخمين. اجعلها أطول، أو حدّد "استخدمها على أي حال".',
      'components.passphrasesDiffer': 'عبارتا المرور غير متطابقتين.',
      'components.strength': 'القوة',
      'components.notRated': 'لم تُقيَّم بعد',
      'components.strengthIs': 'القوة: {label}',
      'components.nothingTyped': 'لم يُكتب شيء بعد',
      'components.crackTime': 'الوقت اللازم لتخمينها من نسخة مسروقة من بياناتك: {time}.',
      'components.passphraseAdvice':
        'بضع كلمات لا رابط بينها تصنع عبارة مرور قوية يسهل تذكّرها. لا سبيل لاستعادتها إن نسيتها.',
      'components.typeAgain': 'اكتبها مرة أخرى',
      'components.notSameYet': 'لا تطابق ما في الأعلى بعد.',
      'components.showTyped': 'أظهر ما أكتبه',
      'components.useAnyway': 'استخدمها على أي حال (أفهم أنها سهلة التخمين)',
    },
  },
);
