import { areaCatalogue } from '../catalogue.std.js';

/** A group's name, description, rules and slow mode, as written when it is created or edited. */
export const groupFormMessages = areaCatalogue(
  {
    'groupForm.name': 'Group name',
    'groupForm.rulesSuggestion':
      'Be kind. No medical advice as fact. What is said here stays here.',
    'groupForm.joinByApproval': 'New members need a moderator’s approval',
    'groupForm.slowMode': 'Slow mode',
    'groupForm.slowModeOff': 'Off',
    'groupForm.slowModeEvery': 'One post every {duration}',
    'groupForm.slowModeOffInline': 'off',
    'groupForm.slowModeEveryInline': 'one post every {duration}',
  },
  {
    es: {
      'groupForm.name': 'Nombre del grupo',
      'groupForm.rulesSuggestion':
        'Sé amable. Nada de consejos médicos presentados como hechos. Lo que se dice aquí, se queda aquí.',
      'groupForm.joinByApproval': 'Los miembros nuevos necesitan la aprobación de un moderador',
      'groupForm.slowMode': 'Modo lento',
      'groupForm.slowModeOff': 'Desactivado',
      'groupForm.slowModeEvery': 'Una publicación y luego {duration} de espera',
      'groupForm.slowModeOffInline': 'desactivado',
      'groupForm.slowModeEveryInline': 'una publicación y luego {duration} de espera',
    },
    fr: {
      'groupForm.name': 'Nom du groupe',
      'groupForm.rulesSuggestion':
        'Soyez bienveillant. Pas de conseil médical présenté comme un fait. Ce qui se dit ici reste ici.',
      'groupForm.joinByApproval': 'Les nouveaux membres doivent être acceptés par un modérateur',
      'groupForm.slowMode': 'Mode lent',
      'groupForm.slowModeOff': 'Désactivé',
      'groupForm.slowModeEvery': 'Une publication, puis {duration} d’attente',
      'groupForm.slowModeOffInline': 'désactivé',
      'groupForm.slowModeEveryInline': 'une publication, puis {duration} d’attente',
    },
    de: {
      'groupForm.name': 'Gruppenname',
      'groupForm.rulesSuggestion':
        'Sei freundlich. Keine medizinischen Ratschläge als Tatsachen. Was hier gesagt wird, bleibt hier.',
      'groupForm.joinByApproval': 'Neue Mitglieder brauchen die Zustimmung eines Moderators',
      'groupForm.slowMode': 'Langsamer Modus',
      'groupForm.slowModeOff': 'Aus',
      'groupForm.slowModeEvery': 'Nach jedem Beitrag {duration} Pause',
      'groupForm.slowModeOffInline': 'aus',
      'groupForm.slowModeEveryInline': 'nach jedem Beitrag {duration} Pause',
    },
    ar: {
      'groupForm.name': 'اسم المجموعة',
      'groupForm.rulesSuggestion':
        'كن لطيفًا. لا نصائح طبية تُقدَّم على أنها حقائق. ما يُقال هنا يبقى هنا.',
      'groupForm.joinByApproval': 'يحتاج الأعضاء الجدد إلى موافقة مشرف',
      'groupForm.slowMode': 'الوضع البطيء',
      'groupForm.slowModeOff': 'متوقف',
      'groupForm.slowModeEvery': 'منشور واحد ثم انتظار {duration}',
      'groupForm.slowModeOffInline': 'متوقف',
      'groupForm.slowModeEveryInline': 'منشور واحد ثم انتظار {duration}',
    },
  },
);
