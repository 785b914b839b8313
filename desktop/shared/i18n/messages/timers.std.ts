import { areaCatalogue } from '../catalogue.std.js';

/**
 * The disappearing-messages control in a conversation's header. A timer reads in its largest
 * whole unit (core's timerWords: "90 minutes", "2 weeks"): {unit} is week, day, hour, minute or
 * second, {count} how many.
 */
export const timersMessages = areaCatalogue(
  {
    'timers.label': 'Disappearing messages',
    'timers.current': 'Disappearing messages: {timer}',
    'timers.off': 'Off',
    'timers.turnedOff': 'Disappearing messages turned off.',
    'timers.set':
      'New messages now disappear after {unit, select, week {{count, plural, one {# week} other {# weeks}}} day {{count, plural, one {# day} other {# days}}} hour {{count, plural, one {# hour} other {# hours}}} minute {{count, plural, one {# minute} other {# minutes}}} other {{count, plural, one {# second} other {# seconds}}}}.',
    'timers.duration':
      '{unit, select, week {{count, plural, one {# week} other {# weeks}}} day {{count, plural, one {# day} other {# days}}} hour {{count, plural, one {# hour} other {# hours}}} minute {{count, plural, one {# minute} other {# minutes}}} other {{count, plural, one {# second} other {# seconds}}}}',
  },
  {
    es: {
      'timers.label': 'Mensajes temporales',
      'timers.current': 'Mensajes temporales: {timer}',
      'timers.off': 'Desactivados',
      'timers.turnedOff': 'Mensajes temporales desactivados.',
      'timers.set':
        'A partir de ahora, los mensajes nuevos desaparecen al cabo de {unit, select, week {{count, plural, one {# semana} other {# semanas}}} day {{count, plural, one {# día} other {# días}}} hour {{count, plural, one {# hora} other {# horas}}} minute {{count, plural, one {# minuto} other {# minutos}}} other {{count, plural, one {# segundo} other {# segundos}}}}.',
      'timers.duration':
        '{unit, select, week {{count, plural, one {# semana} other {# semanas}}} day {{count, plural, one {# día} other {# días}}} hour {{count, plural, one {# hora} other {# horas}}} minute {{count, plural, one {# minuto} other {# minutos}}} other {{count, plural, one {# segundo} other {# segundos}}}}',
    },
    fr: {
      'timers.label': 'Messages éphémères',
      'timers.current': 'Messages éphémères : {timer}',
      'timers.off': 'Désactivés',
      'timers.turnedOff': 'Messages éphémères désactivés.',
      'timers.set':
        'Les nouveaux messages disparaissent désormais au bout de {unit, select, week {{count, plural, one {# semaine} other {# semaines}}} day {{count, plural, one {# jour} other {# jours}}} hour {{count, plural, one {# heure} other {# heures}}} minute {{count, plural, one {# minute} other {# minutes}}} other {{count, plural, one {# seconde} other {# secondes}}}}.',
      'timers.duration':
        '{unit, select, week {{count, plural, one {# semaine} other {# semaines}}} day {{count, plural, one {# jour} other {# jours}}} hour {{count, plural, one {# heure} other {# heures}}} minute {{count, plural, one {# minute} other {# minutes}}} other {{count, plural, one {# seconde} other {# secondes}}}}',
    },
    de: {
      'timers.label': 'Verschwindende Nachrichten',
      'timers.current': 'Verschwindende Nachrichten: {timer}',
      'timers.off': 'Aus',
      'timers.turnedOff': 'Verschwindende Nachrichten ausgeschaltet.',
      'timers.set':
        'Neue Nachrichten verschwinden jetzt nach {unit, select, week {{count, plural, one {# Woche} other {# Wochen}}} day {{count, plural, one {# Tag} other {# Tagen}}} hour {{count, plural, one {# Stunde} other {# Stunden}}} minute {{count, plural, one {# Minute} other {# Minuten}}} other {{count, plural, one {# Sekunde} other {# Sekunden}}}}.',
      'timers.duration':
        '{unit, select, week {{count, plural, one {# Woche} other {# Wochen}}} day {{count, plural, one {# Tag} other {# Tage}}} hour {{count, plural, one {# Stunde} other {# Stunden}}} minute {{count, plural, one {# Minute} other {# Minuten}}} other {{count, plural, one {# Sekunde} other {# Sekunden}}}}',
    },
    ar: {
      'timers.label': 'الرسائل المؤقتة',
      'timers.current': 'الرسائل المؤقتة: {timer}',
      'timers.off': 'متوقفة',
      'timers.turnedOff': 'أُوقفت الرسائل المؤقتة.',
      'timers.set':
        'ستختفي الرسائل الجديدة الآن بعد {unit, select, week {{count, plural, zero {# أسبوع} one {أسبوع واحد} two {أسبوعين} few {# أسابيع} many {# أسبوعًا} other {# أسبوع}}} day {{count, plural, zero {# يوم} one {يوم واحد} two {يومين} few {# أيام} many {# يومًا} other {# يوم}}} hour {{count, plural, zero {# ساعة} one {ساعة واحدة} two {ساعتين} few {# ساعات} many {# ساعة} other {# ساعة}}} minute {{count, plural, zero {# دقيقة} one {دقيقة واحدة} two {دقيقتين} few {# دقائق} many {# دقيقة} other {# دقيقة}}} other {{count, plural, zero {# ثانية} one {ثانية واحدة} two {ثانيتين} few {# ثوانٍ} many {# ثانية} other {# ثانية}}}}.',
      'timers.duration':
        '{unit, select, week {{count, plural, zero {# أسبوع} one {أسبوع واحد} two {أسبوعان} few {# أسابيع} many {# أسبوعًا} other {# أسبوع}}} day {{count, plural, zero {# يوم} one {يوم واحد} two {يومان} few {# أيام} many {# يومًا} other {# يوم}}} hour {{count, plural, zero {# ساعة} one {ساعة واحدة} two {ساعتان} few {# ساعات} many {# ساعة} other {# ساعة}}} minute {{count, plural, zero {# دقيقة} one {دقيقة واحدة} two {دقيقتان} few {# دقائق} many {# دقيقة} other {# دقيقة}}} other {{count, plural, zero {# ثانية} one {ثانية واحدة} two {ثانيتان} few {# ثوانٍ} many {# ثانية} other {# ثانية}}}}',
    },
  },
);
