import { areaCatalogue } from '../catalogue.std.js';

/**
 * The directory's other side in the window: an owner's "List this group in the directory" form
 * (with its inline problems), and the directories this vault follows (another relay's by address).
 */
export const directoryListingMessages = areaCatalogue(
  {
    'directoryListing.section': 'The directory',
    'directoryListing.intro':
      'Listing lets people find this group in the relay’s directory and ask to join. The relay’s operator approves each listing; the listing shows the group’s name, and what you write below.',
    'directoryListing.open': 'List this group in the directory',
    'directoryListing.title': 'List “{name}” in the directory',
    'directoryListing.description': 'Description',
    'directoryListing.descriptionHint':
      'What people read before asking to join. Up to {max} characters.',
    'directoryListing.conditions': 'Conditions',
    'directoryListing.conditionsHint':
      'Pick from the list, or write your own words when the condition is not there. Up to {max}.',
    'directoryListing.conditionField': 'Condition to add',
    'directoryListing.addCondition': 'Add condition',
    'directoryListing.removeCondition': 'Remove {condition}',
    'directoryListing.noConditions': 'No conditions yet.',
    'directoryListing.audiences': 'Who it is for',
    'directoryListing.languages': 'Languages',
    'directoryListing.languagesHint': 'Language codes, separated by commas: en, es, pt-BR.',
    'directoryListing.region': 'Region (optional)',
    'directoryListing.regionHint':
      'A country code like GB, or a part of one like GB-SCT. Leave it empty for anywhere.',
    'directoryListing.rhythm': 'Rhythm (optional)',
    'directoryListing.rhythmHint':
      'How the group meets, in words: “Weekly check-in, chat any time”.',
    'directoryListing.byApproval':
      'People ask to join, and a moderator decides (How the group runs).',
    'directoryListing.byLink':
      'Whoever finds the listing joins at once. To read requests first, turn on approval under How the group runs.',
    'directoryListing.linkNote':
      'Kindred makes a join link for the listing that many people can use; resetting invite links stops it.',
    'directoryListing.submit': 'Send for approval',
    'directoryListing.sent': 'Sent to the relay’s operator for approval.',
    'directoryListing.invalid.description': 'The description is at most {max} characters.',
    'directoryListing.invalid.conditions': 'Add at least one condition.',
    'directoryListing.invalid.condition': 'A condition is at most {max} characters.',
    'directoryListing.invalid.tooManyConditions': 'A listing has at most {max} conditions.',
    'directoryListing.invalid.audiences': 'Choose who the group is for.',
    'directoryListing.invalid.languages': 'Write at least one language code, like en.',
    'directoryListing.invalid.language': '“{tag}” is not a language code like en or pt-BR.',
    'directoryListing.invalid.region': 'A region is a country code like GB, or one like GB-SCT.',
    'directoryListing.invalid.rhythm': 'The rhythm is at most {max} characters.',
    'directoryListing.follows': 'Directories you follow',
    'directoryListing.homeRelay': '{relay} (your relay)',
    'directoryListing.listingCount': '{count, plural, one {# listing} other {# listings}}',
    'directoryListing.followLabel': 'Relay address',
    'directoryListing.followHint':
      'Like wss://relay.example.org. Its keys are remembered the first time, so a later swap is noticed. The relay learns only that someone fetched its directory.',
    'directoryListing.follow': 'Follow directory',
    'directoryListing.unfollow': 'Stop following {relay}',
    'directoryListing.followed': 'Now following the directory of {relay}.',
    'directoryListing.unfollowed': 'No longer following {relay}.',
  },
  {
    es: {
      'directoryListing.section': 'El directorio',
      'directoryListing.intro':
        'Listar el grupo permite encontrarlo en el directorio del relé y pedir unirse. El operador del relé aprueba cada anuncio; el anuncio muestra el nombre del grupo y lo que escribas abajo.',
      'directoryListing.open': 'Listar este grupo en el directorio',
      'directoryListing.title': 'Listar «{name}» en el directorio',
      'directoryListing.description': 'Descripción',
      'directoryListing.descriptionHint':
        'Lo que la gente lee antes de pedir unirse. Hasta {max} caracteres.',
      'directoryListing.conditions': 'Enfermedades',
      'directoryListing.conditionsHint':
        'Elige de la lista o escribe tus propias palabras si la enfermedad no está. Hasta {max}.',
      'directoryListing.conditionField': 'Enfermedad que añadir',
      'directoryListing.addCondition': 'Añadir enfermedad',
      'directoryListing.removeCondition': 'Quitar {condition}',
      'directoryListing.noConditions': 'Aún no hay enfermedades.',
      'directoryListing.audiences': 'Para quién es',
      'directoryListing.languages': 'Idiomas',
      'directoryListing.languagesHint': 'Códigos de idioma separados por comas: en, es, pt-BR.',
      'directoryListing.region': 'Región (opcional)',
      'directoryListing.regionHint':
        'Un código de país como GB, o de una parte de uno como GB-SCT. Déjalo vacío para cualquier lugar.',
      'directoryListing.rhythm': 'Ritmo (opcional)',
      'directoryListing.rhythmHint':
        'Cómo se reúne el grupo, en palabras: «Encuentro semanal, chat a cualquier hora».',
      'directoryListing.byApproval':
        'La gente pide unirse y un moderador decide (Cómo funciona el grupo).',
      'directoryListing.byLink':
        'Quien encuentre el anuncio entra al momento. Para leer las solicitudes antes, activa la aprobación en Cómo funciona el grupo.',
      'directoryListing.linkNote':
        'Kindred crea para el anuncio un enlace que muchas personas pueden usar; restablecer los enlaces de invitación lo anula.',
      'directoryListing.submit': 'Enviar para aprobación',
      'directoryListing.sent': 'Enviado al operador del relé para su aprobación.',
      'directoryListing.invalid.description': 'La descripción tiene como máximo {max} caracteres.',
      'directoryListing.invalid.conditions': 'Añade al menos una enfermedad.',
      'directoryListing.invalid.condition': 'Una enfermedad tiene como máximo {max} caracteres.',
      'directoryListing.invalid.tooManyConditions':
        'Un anuncio tiene como máximo {max} enfermedades.',
      'directoryListing.invalid.audiences': 'Elige para quién es el grupo.',
      'directoryListing.invalid.languages': 'Escribe al menos un código de idioma, como es.',
      'directoryListing.invalid.language': '«{tag}» no es un código de idioma como es o pt-BR.',
      'directoryListing.invalid.region':
        'Una región es un código de país como GB, o uno como GB-SCT.',
      'directoryListing.invalid.rhythm': 'El ritmo tiene como máximo {max} caracteres.',
      'directoryListing.follows': 'Directorios que sigues',
      'directoryListing.homeRelay': '{relay} (tu relé)',
      'directoryListing.listingCount': '{count, plural, one {# anuncio} other {# anuncios}}',
      'directoryListing.followLabel': 'Dirección del relé',
      'directoryListing.followHint':
        'Como wss://relay.example.org. Sus claves se recuerdan la primera vez, así que un cambio posterior se nota. El relé solo sabe que alguien descargó su directorio.',
      'directoryListing.follow': 'Seguir el directorio',
      'directoryListing.unfollow': 'Dejar de seguir {relay}',
      'directoryListing.followed': 'Ahora sigues el directorio de {relay}.',
      'directoryListing.unfollowed': 'Ya no sigues {relay}.',
    },
    fr: {
      'directoryListing.section': 'L’annuaire',
      'directoryListing.intro':
        'Lister le groupe permet de le trouver dans l’annuaire du relais et de demander à le rejoindre. L’opérateur du relais approuve chaque annonce ; elle montre le nom du groupe et ce que vous écrivez ci-dessous.',
      'directoryListing.open': 'Lister ce groupe dans l’annuaire',
      'directoryListing.title': 'Lister « {name} » dans l’annuaire',
      'directoryListing.description': 'Description',
      'directoryListing.descriptionHint':
        'Ce qu’on lit avant de demander à rejoindre. Jusqu’à {max} caractères.',
      'directoryListing.conditions': 'Maladies',
      'directoryListing.conditionsHint':
        'Choisissez dans la liste, ou écrivez vos propres mots si la maladie n’y est pas. Jusqu’à {max}.',
      'directoryListing.conditionField': 'Maladie à ajouter',
      'directoryListing.addCondition': 'Ajouter la maladie',
      'directoryListing.removeCondition': 'Retirer {condition}',
      'directoryListing.noConditions': 'Aucune maladie pour l’instant.',
      'directoryListing.audiences': 'Pour qui',
      'directoryListing.languages': 'Langues',
      'directoryListing.languagesHint': 'Codes de langue séparés par des virgules : fr, en, pt-BR.',
      'directoryListing.region': 'Région (facultatif)',
      'directoryListing.regionHint':
        'Un code de pays comme FR, ou d’une partie comme GB-SCT. Laissez vide pour partout.',
      'directoryListing.rhythm': 'Rythme (facultatif)',
      'directoryListing.rhythmHint':
        'Comment le groupe se retrouve, en mots : « Point hebdomadaire, discussion à toute heure ».',
      'directoryListing.byApproval':
        'On demande à rejoindre, et un modérateur décide (Fonctionnement du groupe).',
      'directoryListing.byLink':
        'Qui trouve l’annonce entre aussitôt. Pour lire les demandes d’abord, activez l’approbation dans Fonctionnement du groupe.',
      'directoryListing.linkNote':
        'Kindred crée pour l’annonce un lien utilisable par beaucoup de personnes ; réinitialiser les liens d’invitation l’arrête.',
      'directoryListing.submit': 'Envoyer pour approbation',
      'directoryListing.sent': 'Envoyé à l’opérateur du relais pour approbation.',
      'directoryListing.invalid.description': 'La description fait au plus {max} caractères.',
      'directoryListing.invalid.conditions': 'Ajoutez au moins une maladie.',
      'directoryListing.invalid.condition': 'Une maladie fait au plus {max} caractères.',
      'directoryListing.invalid.tooManyConditions': 'Une annonce a au plus {max} maladies.',
      'directoryListing.invalid.audiences': 'Choisissez pour qui est le groupe.',
      'directoryListing.invalid.languages': 'Écrivez au moins un code de langue, comme fr.',
      'directoryListing.invalid.language':
        '« {tag} » n’est pas un code de langue comme fr ou pt-BR.',
      'directoryListing.invalid.region':
        'Une région est un code de pays comme FR, ou comme GB-SCT.',
      'directoryListing.invalid.rhythm': 'Le rythme fait au plus {max} caractères.',
      'directoryListing.follows': 'Annuaires suivis',
      'directoryListing.homeRelay': '{relay} (votre relais)',
      'directoryListing.listingCount': '{count, plural, one {# annonce} other {# annonces}}',
      'directoryListing.followLabel': 'Adresse du relais',
      'directoryListing.followHint':
        'Comme wss://relay.example.org. Ses clés sont retenues la première fois, ainsi un changement ultérieur se remarque. Le relais apprend seulement que quelqu’un a récupéré son annuaire.',
      'directoryListing.follow': 'Suivre l’annuaire',
      'directoryListing.unfollow': 'Ne plus suivre {relay}',
      'directoryListing.followed': 'Vous suivez maintenant l’annuaire de {relay}.',
      'directoryListing.unfollowed': 'Vous ne suivez plus {relay}.',
    },
    de: {
      'directoryListing.section': 'Das Verzeichnis',
      'directoryListing.intro':
        'Ein Eintrag lässt Menschen diese Gruppe im Verzeichnis des Relays finden und um Beitritt bitten. Der Betreiber des Relays bestätigt jeden Eintrag; er zeigt den Namen der Gruppe und was Sie unten schreiben.',
      'directoryListing.open': 'Diese Gruppe ins Verzeichnis eintragen',
      'directoryListing.title': '„{name}“ ins Verzeichnis eintragen',
      'directoryListing.description': 'Beschreibung',
      'directoryListing.descriptionHint':
        'Was Menschen vor einer Beitrittsanfrage lesen. Bis zu {max} Zeichen.',
      'directoryListing.conditions': 'Erkrankungen',
      'directoryListing.conditionsHint':
        'Aus der Liste wählen oder eigene Worte schreiben, wenn die Erkrankung fehlt. Bis zu {max}.',
      'directoryListing.conditionField': 'Erkrankung hinzufügen',
      'directoryListing.addCondition': 'Hinzufügen',
      'directoryListing.removeCondition': '{condition} entfernen',
      'directoryListing.noConditions': 'Noch keine Erkrankungen.',
      'directoryListing.audiences': 'Für wen',
      'directoryListing.languages': 'Sprachen',
      'directoryListing.languagesHint': 'Sprachcodes, durch Kommas getrennt: de, en, pt-BR.',
      'directoryListing.region': 'Region (optional)',
      'directoryListing.regionHint':
        'Ein Ländercode wie DE oder ein Landesteil wie GB-SCT. Leer lassen für überall.',
      'directoryListing.rhythm': 'Rhythmus (optional)',
      'directoryListing.rhythmHint':
        'Wie sich die Gruppe trifft, in Worten: „Wöchentliches Treffen, Chat jederzeit“.',
      'directoryListing.byApproval':
        'Menschen fragen den Beitritt an, ein Moderator entscheidet (So läuft die Gruppe).',
      'directoryListing.byLink':
        'Wer den Eintrag findet, tritt sofort bei. Um Anfragen vorher zu lesen, schalten Sie unter „So läuft die Gruppe“ die Bestätigung ein.',
      'directoryListing.linkNote':
        'Kindred erstellt für den Eintrag einen Link, den viele Menschen nutzen können; das Zurücksetzen der Einladungslinks beendet ihn.',
      'directoryListing.submit': 'Zur Bestätigung senden',
      'directoryListing.sent': 'An den Betreiber des Relays zur Bestätigung gesendet.',
      'directoryListing.invalid.description': 'Die Beschreibung hat höchstens {max} Zeichen.',
      'directoryListing.invalid.conditions': 'Fügen Sie mindestens eine Erkrankung hinzu.',
      'directoryListing.invalid.condition': 'Eine Erkrankung hat höchstens {max} Zeichen.',
      'directoryListing.invalid.tooManyConditions': 'Ein Eintrag hat höchstens {max} Erkrankungen.',
      'directoryListing.invalid.audiences': 'Wählen Sie, für wen die Gruppe ist.',
      'directoryListing.invalid.languages': 'Schreiben Sie mindestens einen Sprachcode, etwa de.',
      'directoryListing.invalid.language': '„{tag}“ ist kein Sprachcode wie de oder pt-BR.',
      'directoryListing.invalid.region':
        'Eine Region ist ein Ländercode wie DE oder einer wie GB-SCT.',
      'directoryListing.invalid.rhythm': 'Der Rhythmus hat höchstens {max} Zeichen.',
      'directoryListing.follows': 'Verzeichnisse, denen Sie folgen',
      'directoryListing.homeRelay': '{relay} (Ihr Relay)',
      'directoryListing.listingCount': '{count, plural, one {# Eintrag} other {# Einträge}}',
      'directoryListing.followLabel': 'Adresse des Relays',
      'directoryListing.followHint':
        'Etwa wss://relay.example.org. Seine Schlüssel werden beim ersten Mal gemerkt, so fällt ein späterer Tausch auf. Das Relay erfährt nur, dass jemand sein Verzeichnis abgerufen hat.',
      'directoryListing.follow': 'Verzeichnis folgen',
      'directoryListing.unfollow': '{relay} nicht mehr folgen',
      'directoryListing.followed': 'Sie folgen jetzt dem Verzeichnis von {relay}.',
      'directoryListing.unfollowed': 'Sie folgen {relay} nicht mehr.',
    },
    ar: {
      'directoryListing.section': 'الدليل',
      'directoryListing.intro':
        'يتيح الإدراج للناس العثور على هذه المجموعة في دليل الخادم وطلب الانضمام. يوافق مشغّل الخادم على كل إدراج؛ ويعرض الإدراج اسم المجموعة وما تكتبه أدناه.',
      'directoryListing.open': 'أدرج هذه المجموعة في الدليل',
      'directoryListing.title': 'أدرج «{name}» في الدليل',
      'directoryListing.description': 'الوصف',
      'directoryListing.descriptionHint': 'ما يقرؤه الناس قبل طلب الانضمام. حتى {max} حرف.',
      'directoryListing.conditions': 'الحالات المرضية',
      'directoryListing.conditionsHint':
        'اختر من القائمة، أو اكتب بكلماتك إن لم تكن الحالة فيها. حتى {max}.',
      'directoryListing.conditionField': 'حالة لإضافتها',
      'directoryListing.addCondition': 'أضف الحالة',
      'directoryListing.removeCondition': 'أزل {condition}',
      'directoryListing.noConditions': 'لا توجد حالات بعد.',
      'directoryListing.audiences': 'لمن هي',
      'directoryListing.languages': 'اللغات',
      'directoryListing.languagesHint': 'رموز اللغات مفصولة بفواصل: ar, en, pt-BR.',
      'directoryListing.region': 'المنطقة (اختياري)',
      'directoryListing.regionHint':
        'رمز بلد مثل EG، أو جزء من بلد مثل GB-SCT. اتركه فارغًا لأي مكان.',
      'directoryListing.rhythm': 'الإيقاع (اختياري)',
      'directoryListing.rhythmHint':
        'كيف تلتقي المجموعة، بالكلمات: «لقاء أسبوعي، ودردشة في أي وقت».',
      'directoryListing.byApproval': 'يطلب الناس الانضمام، ويقرّر مشرف (كيف تعمل المجموعة).',
      'directoryListing.byLink':
        'من يجد الإدراج ينضم فورًا. لقراءة الطلبات أولًا، فعّل الموافقة في «كيف تعمل المجموعة».',
      'directoryListing.linkNote':
        'ينشئ Kindred للإدراج رابط انضمام يستخدمه كثيرون؛ وإعادة تعيين روابط الدعوة توقفه.',
      'directoryListing.submit': 'أرسل للموافقة',
      'directoryListing.sent': 'أُرسل إلى مشغّل الخادم للموافقة.',
      'directoryListing.invalid.description': 'الوصف {max} حرفًا على الأكثر.',
      'directoryListing.invalid.conditions': 'أضف حالة واحدة على الأقل.',
      'directoryListing.invalid.condition': 'الحالة {max} حرفًا على الأكثر.',
      'directoryListing.invalid.tooManyConditions': 'للإدراج {max} حالات على الأكثر.',
      'directoryListing.invalid.audiences': 'اختر لمن هذه المجموعة.',
      'directoryListing.invalid.languages': 'اكتب رمز لغة واحدًا على الأقل، مثل ar.',
      'directoryListing.invalid.language': '«{tag}» ليس رمز لغة مثل ar أو pt-BR.',
      'directoryListing.invalid.region': 'المنطقة رمز بلد مثل EG، أو رمز مثل GB-SCT.',
      'directoryListing.invalid.rhythm': 'الإيقاع {max} حرفًا على الأكثر.',
      'directoryListing.follows': 'الأدلة التي تتابعها',
      'directoryListing.homeRelay': '{relay} (خادمك)',
      'directoryListing.listingCount':
        '{count, plural, zero {لا إدراجات} one {إدراج واحد} two {إدراجان} few {# إدراجات} many {# إدراجًا} other {# إدراج}}',
      'directoryListing.followLabel': 'عنوان الخادم',
      'directoryListing.followHint':
        'مثل wss://relay.example.org. تُحفظ مفاتيحه في المرة الأولى، فيُلاحَظ أي تبديل لاحق. لا يعرف الخادم إلا أن أحدًا جلب دليله.',
      'directoryListing.follow': 'تابع الدليل',
      'directoryListing.unfollow': 'توقف عن متابعة {relay}',
      'directoryListing.followed': 'أنت تتابع الآن دليل {relay}.',
      'directoryListing.unfollowed': 'لم تعد تتابع {relay}.',
    },
  },
);
