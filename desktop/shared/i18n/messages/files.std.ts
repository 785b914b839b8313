import { areaCatalogue } from '../catalogue.std.js';

/** The files chosen for the next message: the paperclip, their list, progress and warnings. */
export const filesMessages = areaCatalogue(
  {
    'files.attach': 'Attach files',
    'files.attachTitle': 'Attach files (up to {max})',
    'files.toAttach': 'Files to attach',
    'files.toSend': 'Files to send',
    'files.sendNames': 'Send file names',
    'files.tooMany':
      'A message carries at most {max, plural, one {# file} other {# files}}; the rest were left out.',
    'files.sentAs': 'Sent as {name}',
    'files.preparing': 'Preparing {name}',
    'files.uploadingNamed': 'Uploading {name}',
    'files.uploading': 'Uploading… {percent}%',
    'files.remove': 'Remove {name}',
    'files.uncleanedTitle': 'Send without removing hidden details?',
    'files.uncleanedConfirm': 'Send as it is',
    'files.uncleanedWhy':
      'Kindred removes hidden details from photos and PDFs before they leave your computer. It could not do that for at least one of these files (for example an office document, a locked PDF or a file type it does not know).',
    'files.uncleanedRisk':
      'Such details can name you or where you are: the author’s name, the organisation, the computer or camera, the place a photo was taken. Anyone in this conversation could read them.',
    'files.uncleanedChoice':
      'Nothing was sent. You can send the files as they are, or cancel and remove the file (a screenshot or a PDF copy of it would be cleaned).',
  },
  {
    es: {
      'files.attach': 'Adjuntar archivos',
      'files.attachTitle': 'Adjuntar archivos (hasta {max})',
      'files.toAttach': 'Archivos para adjuntar',
      'files.toSend': 'Archivos para enviar',
      'files.sendNames': 'Enviar los nombres de los archivos',
      'files.tooMany':
        'Un mensaje lleva como mucho {max, plural, one {# archivo} other {# archivos}}; el resto se quedó fuera.',
      'files.sentAs': 'Se envía como {name}',
      'files.preparing': 'Preparando {name}',
      'files.uploadingNamed': 'Subiendo {name}',
      'files.uploading': 'Subiendo… {percent} %',
      'files.remove': 'Quitar {name}',
      'files.uncleanedTitle': '¿Enviar sin quitar los datos ocultos?',
      'files.uncleanedConfirm': 'Enviar tal cual',
      'files.uncleanedWhy':
        'Kindred quita los datos ocultos de las fotos y los PDF antes de que salgan de tu ordenador. No pudo hacerlo con al menos uno de estos archivos (por ejemplo, un documento de Office, un PDF protegido o un tipo de archivo que no conoce).',
      'files.uncleanedRisk':
        'Esos datos pueden revelar quién eres o dónde estás: el nombre del autor, la organización, el ordenador o la cámara, el lugar donde se tomó una foto. Cualquiera en esta conversación podría leerlos.',
      'files.uncleanedChoice':
        'No se envió nada. Puedes enviar los archivos tal cual, o cancelar y quitar el archivo (una captura de pantalla o una copia en PDF sí se limpiaría).',
    },
    fr: {
      'files.attach': 'Joindre des fichiers',
      'files.attachTitle': 'Joindre des fichiers (jusqu’à {max})',
      'files.toAttach': 'Fichiers à joindre',
      'files.toSend': 'Fichiers à envoyer',
      'files.sendNames': 'Envoyer les noms des fichiers',
      'files.tooMany':
        'Un message contient au plus {max, plural, one {# fichier} other {# fichiers}} ; les autres ont été laissés de côté.',
      'files.sentAs': 'Envoyé sous le nom {name}',
      'files.preparing': 'Préparation de {name}',
      'files.uploadingNamed': 'Envoi de {name}',
      'files.uploading': 'Envoi… {percent} %',
      'files.remove': 'Retirer {name}',
      'files.uncleanedTitle': 'Envoyer sans retirer les informations cachées ?',
      'files.uncleanedConfirm': 'Envoyer tel quel',
      'files.uncleanedWhy':
        'Kindred retire les informations cachées des photos et des PDF avant qu’ils ne quittent votre ordinateur. Il n’a pas pu le faire pour au moins un de ces fichiers (par exemple un document Office, un PDF verrouillé ou un type de fichier qu’il ne connaît pas).',
      'files.uncleanedRisk':
        'Ces informations peuvent révéler qui vous êtes ou où vous êtes : le nom de l’auteur, l’organisation, l’ordinateur ou l’appareil photo, le lieu où une photo a été prise. Toute personne de cette conversation pourrait les lire.',
      'files.uncleanedChoice':
        'Rien n’a été envoyé. Vous pouvez envoyer les fichiers tels quels, ou annuler et retirer le fichier (une capture d’écran ou une copie PDF serait nettoyée).',
    },
    de: {
      'files.attach': 'Dateien anhängen',
      'files.attachTitle': 'Dateien anhängen (bis zu {max})',
      'files.toAttach': 'Anzuhängende Dateien',
      'files.toSend': 'Zu sendende Dateien',
      'files.sendNames': 'Dateinamen mitsenden',
      'files.tooMany':
        'Eine Nachricht trägt höchstens {max, plural, one {# Datei} other {# Dateien}}; die übrigen wurden weggelassen.',
      'files.sentAs': 'Wird gesendet als {name}',
      'files.preparing': '{name} wird vorbereitet',
      'files.uploadingNamed': '{name} wird hochgeladen',
      'files.uploading': 'Wird hochgeladen… {percent} %',
      'files.remove': '{name} entfernen',
      'files.uncleanedTitle': 'Ohne Entfernen versteckter Angaben senden?',
      'files.uncleanedConfirm': 'So senden, wie sie sind',
      'files.uncleanedWhy':
        'Kindred entfernt versteckte Angaben aus Fotos und PDFs, bevor sie deinen Computer verlassen. Bei mindestens einer dieser Dateien ging das nicht (zum Beispiel bei einem Office-Dokument, einem geschützten PDF oder einem Dateityp, den es nicht kennt).',
      'files.uncleanedRisk':
        'Solche Angaben können verraten, wer du bist oder wo du bist: den Namen der verfassenden Person, die Organisation, den Computer oder die Kamera, den Ort, an dem ein Foto aufgenommen wurde. Alle in diesem Gespräch könnten sie lesen.',
      'files.uncleanedChoice':
        'Es wurde nichts gesendet. Du kannst die Dateien so senden, wie sie sind, oder abbrechen und die Datei entfernen (ein Bildschirmfoto oder eine PDF-Kopie davon würde bereinigt).',
    },
    ar: {
      'files.attach': 'إرفاق ملفات',
      'files.attachTitle': 'إرفاق ملفات (حتى {max})',
      'files.toAttach': 'ملفات للإرفاق',
      'files.toSend': 'ملفات للإرسال',
      'files.sendNames': 'إرسال أسماء الملفات',
      'files.tooMany':
        'تحمل الرسالة الواحدة {max, plural, zero {# ملف} one {ملفًا واحدًا} two {ملفين} few {# ملفات} many {# ملفًا} other {# ملف}} على الأكثر؛ وتُرك الباقي.',
      'files.sentAs': 'يُرسل باسم {name}',
      'files.preparing': 'جارٍ تجهيز {name}',
      'files.uploadingNamed': 'جارٍ رفع {name}',
      'files.uploading': 'جارٍ الرفع… {percent}٪',
      'files.remove': 'إزالة {name}',
      'files.uncleanedTitle': 'الإرسال دون إزالة التفاصيل المخفية؟',
      'files.uncleanedConfirm': 'الإرسال كما هي',
      'files.uncleanedWhy':
        'يزيل Kindred التفاصيل المخفية من الصور وملفات PDF قبل أن تغادر حاسوبك. ولم يستطع فعل ذلك لواحد على الأقل من هذه الملفات (مثل مستند Office أو ملف PDF مقفل أو نوع ملف لا يعرفه).',
      'files.uncleanedRisk':
        'قد تكشف هذه التفاصيل هويتك أو مكانك: اسم المؤلف، والمؤسسة، والحاسوب أو الكاميرا، والمكان الذي التُقطت فيه الصورة. ويستطيع أي شخص في هذه المحادثة قراءتها.',
      'files.uncleanedChoice':
        'لم يُرسل شيء. يمكنك إرسال الملفات كما هي، أو الإلغاء وإزالة الملف (أما لقطة شاشة له أو نسخة PDF منه فستُنظَّف).',
    },
  },
);
