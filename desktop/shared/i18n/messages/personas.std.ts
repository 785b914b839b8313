import { areaCatalogue } from '../catalogue.std.js';

/** The Personas screen, and the warning when a new pseudonym repeats another persona’s. */
export const personasMessages = areaCatalogue(
  {
    'personas.created': 'Persona {name} created.',
    'personas.lead':
      'These are all yours. Each persona has its own keys and its own link to the relay, so neither the people you talk to nor the relay can link them by their keys. Their names can give them away: give each persona a name of its own.',
    'personas.yours': 'Your personas',
    'personas.main': 'Main',
    'personas.noGroups': 'Not in any group.',
    'personas.inGroups': 'In {groups}.',
    'personas.mainNoGroups': 'Used with your contacts. Not in any group.',
    'personas.mainInGroups': 'Used with your contacts. In {groups}.',
    'personas.new': 'New persona',
    'personas.pseudonym': 'Pseudonym for the new persona',
    'personas.create': 'Create persona',
    'personas.hint':
      'You can also let Kindred make a fresh persona each time you create or join a group. Each persona has keys of its own and connects on its own random schedule, but without a proxy (Settings) the relay sees all of them come from the same internet address.',
    'personas.sharedName': '{count, plural, other {# of your personas are called {name}}}',
    'personas.sharedNamesSeparator': '; ',
    'personas.sharedNames':
      '{names}: people who meet them in different places could tell they are the same person.',
    'personas.clash': 'Another of your personas is called {name}: people could link them.',
  },
  {
    es: {
      'personas.created': 'Persona {name} creada.',
      'personas.lead':
        'Todas son tuyas. Cada persona tiene sus propias claves y su propia conexión con el relé, así que ni las personas con quienes hablas ni el relé pueden vincularlas por sus claves. Sus nombres sí pueden delatarlas: dale a cada persona un nombre propio.',
      'personas.yours': 'Tus personas',
      'personas.main': 'Principal',
      'personas.noGroups': 'No está en ningún grupo.',
      'personas.inGroups': 'En {groups}.',
      'personas.mainNoGroups': 'Se usa con tus contactos. No está en ningún grupo.',
      'personas.mainInGroups': 'Se usa con tus contactos. En {groups}.',
      'personas.new': 'Nueva persona',
      'personas.pseudonym': 'Seudónimo de la nueva persona',
      'personas.create': 'Crear persona',
      'personas.hint':
        'También puedes dejar que Kindred cree una persona nueva cada vez que creas un grupo o te unes a uno. Cada persona tiene claves propias y se conecta según su propio horario al azar, pero sin un proxy (Ajustes) el relé ve que todas vienen de la misma dirección de internet.',
      'personas.sharedName':
        '{count, plural, one {# de tus personas se llama {name}} other {# de tus personas se llaman {name}}}',
      'personas.sharedNamesSeparator': '; ',
      'personas.sharedNames':
        '{names}: quien las encuentre en sitios distintos podría saber que son la misma persona.',
      'personas.clash': 'Otra de tus personas se llama {name}: la gente podría vincularlas.',
    },
    fr: {
      'personas.created': 'Persona {name} créée.',
      'personas.lead':
        'Elles sont toutes à vous. Chaque persona a ses propres clés et son propre lien avec le relais : ni les gens à qui vous parlez ni le relais ne peuvent les relier par leurs clés. Leurs noms peuvent les trahir : donnez à chaque persona un nom bien à elle.',
      'personas.yours': 'Vos personas',
      'personas.main': 'Principale',
      'personas.noGroups': 'Dans aucun groupe.',
      'personas.inGroups': 'Dans {groups}.',
      'personas.mainNoGroups': 'Utilisée avec vos contacts. Dans aucun groupe.',
      'personas.mainInGroups': 'Utilisée avec vos contacts. Dans {groups}.',
      'personas.new': 'Nouvelle persona',
      'personas.pseudonym': 'Pseudonyme de la nouvelle persona',
      'personas.create': 'Créer la persona',
      'personas.hint':
        'Vous pouvez aussi laisser Kindred créer une nouvelle persona chaque fois que vous créez ou rejoignez un groupe. Chaque persona a ses propres clés et se connecte selon son propre horaire aléatoire, mais sans proxy (Paramètres), le relais les voit toutes venir de la même adresse internet.',
      'personas.sharedName':
        '{count, plural, one {# de vos personas s’appelle {name}} other {# de vos personas s’appellent {name}}}',
      'personas.sharedNamesSeparator': ' ; ',
      'personas.sharedNames':
        '{names} : les gens qui les rencontrent à différents endroits pourraient comprendre qu’il s’agit de la même personne.',
      'personas.clash': 'Une autre de vos personas s’appelle {name} : on pourrait les relier.',
    },
    de: {
      'personas.created': 'Persona {name} erstellt.',
      'personas.lead':
        'Sie gehören alle dir. Jede Persona hat eigene Schlüssel und eine eigene Verbindung zum Relay, also können weder die Menschen, mit denen du sprichst, noch das Relay sie über ihre Schlüssel verknüpfen. Ihre Namen können sie verraten: Gib jeder Persona einen eigenen Namen.',
      'personas.yours': 'Deine Personas',
      'personas.main': 'Haupt-Persona',
      'personas.noGroups': 'In keiner Gruppe.',
      'personas.inGroups': 'In {groups}.',
      'personas.mainNoGroups': 'Wird mit deinen Kontakten benutzt. In keiner Gruppe.',
      'personas.mainInGroups': 'Wird mit deinen Kontakten benutzt. In {groups}.',
      'personas.new': 'Neue Persona',
      'personas.pseudonym': 'Pseudonym der neuen Persona',
      'personas.create': 'Persona erstellen',
      'personas.hint':
        'Du kannst Kindred auch jedes Mal eine neue Persona anlegen lassen, wenn du eine Gruppe erstellst oder ihr beitrittst. Jede Persona hat eigene Schlüssel und verbindet sich nach ihrem eigenen zufälligen Zeitplan, aber ohne Proxy (Einstellungen) sieht das Relay sie alle von derselben Internetadresse kommen.',
      'personas.sharedName':
        '{count, plural, one {# deiner Personas heißt {name}} other {# deiner Personas heißen {name}}}',
      'personas.sharedNamesSeparator': '; ',
      'personas.sharedNames':
        '{names}: Wer ihnen an verschiedenen Orten begegnet, könnte erkennen, dass sie dieselbe Person sind.',
      'personas.clash': 'Eine andere deiner Personas heißt {name}: Andere könnten sie verknüpfen.',
    },
    ar: {
      'personas.created': 'أُنشئت الشخصية {name}.',
      'personas.lead':
        'كلها لك. لكل شخصية مفاتيحها واتصالها الخاص بالمُرحِّل، فلا يستطيع من تتحدث معهم ولا المُرحِّل الربط بينها عبر مفاتيحها. لكن أسماءها قد تكشفها: أعطِ كل شخصية اسمًا خاصًا بها.',
      'personas.yours': 'شخصياتك',
      'personas.main': 'الرئيسية',
      'personas.noGroups': 'ليست في أي مجموعة.',
      'personas.inGroups': 'في {groups}.',
      'personas.mainNoGroups': 'تُستخدم مع جهات اتصالك. ليست في أي مجموعة.',
      'personas.mainInGroups': 'تُستخدم مع جهات اتصالك. في {groups}.',
      'personas.new': 'شخصية جديدة',
      'personas.pseudonym': 'الاسم المستعار للشخصية الجديدة',
      'personas.create': 'أنشئ الشخصية',
      'personas.hint':
        'يمكنك أيضًا أن تدع Kindred ينشئ شخصية جديدة في كل مرة تنشئ فيها مجموعة أو تنضم إليها. لكل شخصية مفاتيحها وتتصل وفق جدولها العشوائي الخاص، لكن دون وكيل (الإعدادات) يرى المُرحِّل أنها كلها تأتي من عنوان الإنترنت نفسه.',
      'personas.sharedName':
        '{count, plural, zero {لا شخصيات لك تُسمّى {name}} one {شخصية واحدة لك تُسمّى {name}} two {شخصيتان لك تُسمّيان {name}} few {# من شخصياتك تُسمّى {name}} many {# من شخصياتك تُسمّى {name}} other {# من شخصياتك تُسمّى {name}}}',
      'personas.sharedNamesSeparator': '؛ ',
      'personas.sharedNames': '{names}: من يصادفها في أماكن مختلفة قد يعرف أنها الشخص نفسه.',
      'personas.clash': 'شخصية أخرى من شخصياتك اسمها {name}: قد يربط الناس بينهما.',
    },
  },
);
