import { areaCatalogue } from '../catalogue.std.js';

/** The "Rules and info" drawer beside a group's chat (its other words are the groups area's). */
export const groupAboutMessages = areaCatalogue(
  {
    'groupAbout.close': 'Close rules and info',
    'groupAbout.loading': 'Loading…',
    'groupAbout.about': 'About',
    'groupAbout.noRules': 'This group has no written rules yet. Be kind.',
    'groupAbout.appearAs':
      'You appear here as {pseudonym}. Nobody here can see your other personas.',
    'groupAbout.slowMode': 'Slow mode: members post at most once every {duration}.',
    'groupAbout.noSlowMode': 'No slow mode.',
    'groupAbout.groupSettings': 'Group settings',
    'groupAbout.groupPage': 'Group page',
  },
  {
    es: {
      'groupAbout.close': 'Cerrar normas e información',
      'groupAbout.loading': 'Cargando…',
      'groupAbout.about': 'Acerca del grupo',
      'groupAbout.noRules': 'Este grupo aún no tiene normas escritas. Sé amable.',
      'groupAbout.appearAs':
        'Aquí apareces como {pseudonym}. Nadie aquí puede ver tus otras personas.',
      'groupAbout.slowMode': 'Modo lento: cada miembro publica como mucho una vez cada {duration}.',
      'groupAbout.noSlowMode': 'Sin modo lento.',
      'groupAbout.groupSettings': 'Ajustes del grupo',
      'groupAbout.groupPage': 'Página del grupo',
    },
    fr: {
      'groupAbout.close': 'Fermer les règles et infos',
      'groupAbout.loading': 'Chargement…',
      'groupAbout.about': 'À propos',
      'groupAbout.noRules': 'Ce groupe n’a pas encore de règles écrites. Soyez bienveillant.',
      'groupAbout.appearAs':
        'Ici, vous apparaissez sous le nom {pseudonym}. Personne ici ne peut voir vos autres personas.',
      'groupAbout.slowMode':
        'Mode lent : chaque membre publie au plus un message toutes les {duration}.',
      'groupAbout.noSlowMode': 'Pas de mode lent.',
      'groupAbout.groupSettings': 'Paramètres du groupe',
      'groupAbout.groupPage': 'Page du groupe',
    },
    de: {
      'groupAbout.close': 'Regeln und Infos schließen',
      'groupAbout.loading': 'Wird geladen…',
      'groupAbout.about': 'Über die Gruppe',
      'groupAbout.noRules': 'Diese Gruppe hat noch keine schriftlichen Regeln. Sei freundlich.',
      'groupAbout.appearAs':
        'Hier erscheinst du als {pseudonym}. Niemand hier kann deine anderen Personas sehen.',
      'groupAbout.slowMode': 'Langsamer Modus: Mitglieder posten höchstens einmal alle {duration}.',
      'groupAbout.noSlowMode': 'Kein langsamer Modus.',
      'groupAbout.groupSettings': 'Gruppeneinstellungen',
      'groupAbout.groupPage': 'Gruppenseite',
    },
    ar: {
      'groupAbout.close': 'إغلاق القواعد والمعلومات',
      'groupAbout.loading': 'جارٍ التحميل…',
      'groupAbout.about': 'نبذة',
      'groupAbout.noRules': 'ليست لهذه المجموعة قواعد مكتوبة بعد. كن لطيفًا.',
      'groupAbout.appearAs': 'تظهر هنا باسم {pseudonym}. لا يستطيع أحد هنا رؤية شخصياتك الأخرى.',
      'groupAbout.slowMode': 'الوضع البطيء: ينشر الأعضاء مرة واحدة على الأكثر كل {duration}.',
      'groupAbout.noSlowMode': 'لا وضع بطيء.',
      'groupAbout.groupSettings': 'إعدادات المجموعة',
      'groupAbout.groupPage': 'صفحة المجموعة',
    },
  },
);
