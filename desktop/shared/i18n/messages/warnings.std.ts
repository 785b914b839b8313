import { areaCatalogue } from '../catalogue.std.js';

/**
 * Content warnings: the composer's menu of presets and the chip on the draft, and the warnings
 * every window knows (the presets, core's "Sensitive image"), which travel in English and are
 * shown in each reader's language (desktop/shared/i18n/warningWords.std.ts).
 */
export const warningsMessages = areaCatalogue(
  {
    'warnings.add': 'Add a content warning',
    'warnings.ownWords': 'Your own words…',
    'warnings.label': 'Content warning',
    'warnings.placeholder': 'What readers should know first',
    'warnings.remove': 'Remove content warning',
    'warnings.presetMedicalImage': 'Graphic medical image',
    'warnings.presetLoss': 'Loss / bereavement',
    'warnings.presetSelfHarm': 'Self-harm',
    'warnings.sensitiveImage': 'Sensitive image',
  },
  {
    es: {
      'warnings.add': 'Añadir un aviso de contenido',
      'warnings.ownWords': 'Con tus propias palabras…',
      'warnings.label': 'Aviso de contenido',
      'warnings.placeholder': 'Lo que conviene saber antes de leer',
      'warnings.remove': 'Quitar el aviso de contenido',
      'warnings.presetMedicalImage': 'Imagen médica explícita',
      'warnings.presetLoss': 'Pérdida / duelo',
      'warnings.presetSelfHarm': 'Autolesiones',
      'warnings.sensitiveImage': 'Imagen delicada',
    },
    fr: {
      'warnings.add': 'Ajouter un avertissement de contenu',
      'warnings.ownWords': 'Avec vos propres mots…',
      'warnings.label': 'Avertissement de contenu',
      'warnings.placeholder': 'Ce qu’il vaut mieux savoir avant de lire',
      'warnings.remove': 'Retirer l’avertissement de contenu',
      'warnings.presetMedicalImage': 'Image médicale choquante',
      'warnings.presetLoss': 'Perte / deuil',
      'warnings.presetSelfHarm': 'Automutilation',
      'warnings.sensitiveImage': 'Image sensible',
    },
    de: {
      'warnings.add': 'Inhaltswarnung hinzufügen',
      'warnings.ownWords': 'In deinen eigenen Worten…',
      'warnings.label': 'Inhaltswarnung',
      'warnings.placeholder': 'Was man vor dem Lesen wissen sollte',
      'warnings.remove': 'Inhaltswarnung entfernen',
      'warnings.presetMedicalImage': 'Drastisches medizinisches Bild',
      'warnings.presetLoss': 'Verlust / Trauer',
      'warnings.presetSelfHarm': 'Selbstverletzung',
      'warnings.sensitiveImage': 'Sensibles Bild',
    },
    ar: {
      'warnings.add': 'إضافة تحذير من المحتوى',
      'warnings.ownWords': 'بكلماتك أنت…',
      'warnings.label': 'تحذير من المحتوى',
      'warnings.placeholder': 'ما ينبغي للقارئ أن يعرفه أولًا',
      'warnings.remove': 'إزالة التحذير من المحتوى',
      'warnings.presetMedicalImage': 'صورة طبية صادمة',
      'warnings.presetLoss': 'فقدان / حداد',
      'warnings.presetSelfHarm': 'إيذاء النفس',
      'warnings.sensitiveImage': 'صورة حساسة',
    },
  },
);
