import { areaCatalogue } from '../catalogue.std.js';

/**
 * What can be done to one message beyond its menu: the author's edit and delete, a member's
 * report, a moderator's delete, pin and unpin, and the reaction picked from the full picker.
 */
export const messageActionsMessages = areaCatalogue(
  {
    'messageActions.reacted': 'Reacted with {name}.',
    'messageActions.edit': 'Edit',
    'messageActions.edited': 'Message edited.',
    'messageActions.editLabel': 'Edit your message',
    'messageActions.keepWarning': 'Keep the content warning “{warning}”',
    'messageActions.cancel': 'Cancel',
    'messageActions.save': 'Save',
    'messageActions.deleteTitle': 'Delete this message for everyone?',
    'messageActions.deleted': 'Message deleted for everyone.',
    'messageActions.deleteExplained':
      '{files, select, yes {Its text, its files and its reactions} other {Its text and its reactions}} leave this device and everyone else’s as their Kindred receives this. They will see “Deleted by its author” in its place.',
    'messageActions.reportTitle': 'Report this message',
    'messageActions.reportSubmit': 'Send report',
    'messageActions.reportHint':
      'Your report goes only to this group’s moderators, with this message and the few before it. The relay cannot tell it is a report.',
    'messageActions.reportReason': 'What is wrong with it?',
    'messageActions.pinTitle': 'Pin this message?',
    'messageActions.pinConfirm': 'Pin message',
    'messageActions.pinned': 'Message pinned.',
    'messageActions.unpinTitle': 'Unpin this message?',
    'messageActions.unpinConfirm': 'Unpin message',
    'messageActions.unpinned': 'Message unpinned.',
    'messageActions.reasonHint':
      'Optional. Every member can read it in the moderation log, with your pseudonym.',
  },
  {
    es: {
      'messageActions.reacted': 'Has reaccionado con «{name}».',
      'messageActions.edit': 'Editar',
      'messageActions.edited': 'Mensaje editado.',
      'messageActions.editLabel': 'Edita tu mensaje',
      'messageActions.keepWarning': 'Mantener el aviso de contenido «{warning}»',
      'messageActions.cancel': 'Cancelar',
      'messageActions.save': 'Guardar',
      'messageActions.deleteTitle': '¿Eliminar este mensaje para todos?',
      'messageActions.deleted': 'Mensaje eliminado para todos.',
      'messageActions.deleteExplained':
        '{files, select, yes {Su texto, sus archivos y sus reacciones desaparecen} other {Su texto y sus reacciones desaparecen}} de este dispositivo y de los de los demás en cuanto su Kindred reciba esto. En su lugar verán «Eliminado por quien lo escribió».',
      'messageActions.reportTitle': 'Denunciar este mensaje',
      'messageActions.reportSubmit': 'Enviar denuncia',
      'messageActions.reportHint':
        'Tu denuncia llega solo a los moderadores de este grupo, con este mensaje y los pocos anteriores. El relé no puede saber que es una denuncia.',
      'messageActions.reportReason': '¿Qué tiene de malo?',
      'messageActions.pinTitle': '¿Fijar este mensaje?',
      'messageActions.pinConfirm': 'Fijar mensaje',
      'messageActions.pinned': 'Mensaje fijado.',
      'messageActions.unpinTitle': '¿Dejar de fijar este mensaje?',
      'messageActions.unpinConfirm': 'Dejar de fijar',
      'messageActions.unpinned': 'El mensaje ya no está fijado.',
      'messageActions.reasonHint':
        'Opcional. Todos los miembros pueden leerlo en el registro de moderación, junto a tu seudónimo.',
    },
    fr: {
      'messageActions.reacted': 'Vous avez réagi avec « {name} ».',
      'messageActions.edit': 'Modifier',
      'messageActions.edited': 'Message modifié.',
      'messageActions.editLabel': 'Modifiez votre message',
      'messageActions.keepWarning': 'Garder l’avertissement de contenu « {warning} »',
      'messageActions.cancel': 'Annuler',
      'messageActions.save': 'Enregistrer',
      'messageActions.deleteTitle': 'Supprimer ce message pour tout le monde ?',
      'messageActions.deleted': 'Message supprimé pour tout le monde.',
      'messageActions.deleteExplained':
        '{files, select, yes {Son texte, ses fichiers et ses réactions quittent} other {Son texte et ses réactions quittent}} cet appareil et ceux des autres dès que leur Kindred reçoit ceci. À sa place, ils verront « Supprimé par son auteur ».',
      'messageActions.reportTitle': 'Signaler ce message',
      'messageActions.reportSubmit': 'Envoyer le signalement',
      'messageActions.reportHint':
        'Votre signalement va uniquement aux modérateurs de ce groupe, avec ce message et les quelques messages précédents. Le relais ne peut pas savoir que c’est un signalement.',
      'messageActions.reportReason': 'Qu’est-ce qui ne va pas ?',
      'messageActions.pinTitle': 'Épingler ce message ?',
      'messageActions.pinConfirm': 'Épingler le message',
      'messageActions.pinned': 'Message épinglé.',
      'messageActions.unpinTitle': 'Désépingler ce message ?',
      'messageActions.unpinConfirm': 'Désépingler le message',
      'messageActions.unpinned': 'Message désépinglé.',
      'messageActions.reasonHint':
        'Facultatif. Tous les membres peuvent le lire dans le journal de modération, avec votre pseudonyme.',
    },
    de: {
      'messageActions.reacted': 'Du hast mit „{name}“ reagiert.',
      'messageActions.edit': 'Bearbeiten',
      'messageActions.edited': 'Nachricht bearbeitet.',
      'messageActions.editLabel': 'Deine Nachricht bearbeiten',
      'messageActions.keepWarning': 'Inhaltswarnung „{warning}“ behalten',
      'messageActions.cancel': 'Abbrechen',
      'messageActions.save': 'Speichern',
      'messageActions.deleteTitle': 'Diese Nachricht für alle löschen?',
      'messageActions.deleted': 'Nachricht für alle gelöscht.',
      'messageActions.deleteExplained':
        '{files, select, yes {Ihr Text, ihre Dateien und ihre Reaktionen verschwinden} other {Ihr Text und ihre Reaktionen verschwinden}} von diesem Gerät und von denen aller anderen, sobald ihr Kindred dies empfängt. An ihrer Stelle steht dann „Von der verfassenden Person gelöscht“.',
      'messageActions.reportTitle': 'Diese Nachricht melden',
      'messageActions.reportSubmit': 'Meldung senden',
      'messageActions.reportHint':
        'Deine Meldung geht nur an die Moderatoren dieser Gruppe, zusammen mit dieser Nachricht und den wenigen davor. Das Relay kann nicht erkennen, dass es eine Meldung ist.',
      'messageActions.reportReason': 'Was stimmt damit nicht?',
      'messageActions.pinTitle': 'Diese Nachricht anheften?',
      'messageActions.pinConfirm': 'Nachricht anheften',
      'messageActions.pinned': 'Nachricht angeheftet.',
      'messageActions.unpinTitle': 'Diese Nachricht lösen?',
      'messageActions.unpinConfirm': 'Nachricht lösen',
      'messageActions.unpinned': 'Nachricht gelöst.',
      'messageActions.reasonHint':
        'Freiwillig. Alle Mitglieder können den Grund im Moderationsprotokoll lesen, mit deinem Pseudonym.',
    },
    ar: {
      'messageActions.reacted': 'تفاعلت بـ«{name}».',
      'messageActions.edit': 'تعديل',
      'messageActions.edited': 'عُدّلت الرسالة.',
      'messageActions.editLabel': 'عدّل رسالتك',
      'messageActions.keepWarning': 'الإبقاء على التحذير من المحتوى «{warning}»',
      'messageActions.cancel': 'إلغاء',
      'messageActions.save': 'حفظ',
      'messageActions.deleteTitle': 'حذف هذه الرسالة لدى الجميع؟',
      'messageActions.deleted': 'حُذفت الرسالة لدى الجميع.',
      'messageActions.deleteExplained':
        '{files, select, yes {يُحذف نصها وملفاتها وتفاعلاتها} other {يُحذف نصها وتفاعلاتها}} من هذا الجهاز ومن أجهزة الآخرين حين يتلقى Kindred لديهم هذا الطلب. وسيرون مكانها «حذفها كاتبها».',
      'messageActions.reportTitle': 'الإبلاغ عن هذه الرسالة',
      'messageActions.reportSubmit': 'إرسال البلاغ',
      'messageActions.reportHint':
        'يصل بلاغك إلى مشرفي هذه المجموعة فقط، مع هذه الرسالة والرسائل القليلة التي سبقتها. لا يستطيع المُرحِّل أن يعرف أنه بلاغ.',
      'messageActions.reportReason': 'ما المشكلة فيها؟',
      'messageActions.pinTitle': 'تثبيت هذه الرسالة؟',
      'messageActions.pinConfirm': 'تثبيت الرسالة',
      'messageActions.pinned': 'ثُبّتت الرسالة.',
      'messageActions.unpinTitle': 'إلغاء تثبيت هذه الرسالة؟',
      'messageActions.unpinConfirm': 'إلغاء تثبيت الرسالة',
      'messageActions.unpinned': 'أُلغي تثبيت الرسالة.',
      'messageActions.reasonHint':
        'اختياري. يستطيع كل الأعضاء قراءته في سجل الإشراف، مع اسمك المستعار.',
    },
  },
);
