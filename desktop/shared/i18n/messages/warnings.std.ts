import { areaCatalogue } from '../catalogue.std.js';

/**
 * The composer's content warnings: the menu of presets and the chip on the draft. A preset's
 * words go out as the warning, in the sender's language (like any warning the person writes).
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
    },
  },
);
