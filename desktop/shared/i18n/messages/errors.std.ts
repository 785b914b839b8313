import { areaCatalogue } from '../catalogue.std.js';

/**
 * Errors, worded by their code (describeError in kindredContext.dom.ts; errorId turns a code
 * into its id: CORE_GROUP_FULL → errors.coreGroupFull). `errors.<code>` is a core, relay or
 * desktop code main sends (its English is main's own, apiErrors.main.ts: a test keeps them
 * equal); `errors.named.<code>` is a refused contact link worded with the name the link carries
 * (details.name); `errors.relayRefused` a relay refusal with no words of its own.
 */
export const errorMessages = areaCatalogue(
  {
    'errors.coreVaultWrongPassphrase': 'That passphrase is not right.',
    'errors.coreVaultWeakPassphrase':
      'That passphrase is too weak: choose a longer one that is hard to guess.',
    'errors.coreVaultLocked': 'Kindred is locked. Unlock it and try again.',
    'errors.coreVaultAlreadyOpen': 'Kindred is already open in another window or program.',
    'errors.coreVaultCorrupt': 'The data on this device is damaged and cannot be opened.',
    'errors.coreVaultUnsupportedVersion':
      'The data on this device was written by a newer Kindred. Update Kindred to open it.',
    'errors.coreVaultKdfUnsupported':
      'The data on this device asks for more memory or time to unlock than Kindred allows. It may have been tampered with.',
    'errors.coreInvalidPseudonym': 'A name has 1 to 64 printable characters.',
    'errors.coreInvalidInviteLink': 'That is not a valid Kindred invite link.',
    'errors.coreInviteExpired': 'That invite has expired or was used up. Ask for a new one.',
    'errors.coreContactNotFound': 'That contact is not here.',
    'errors.coreContactExists': 'That person is already one of your contacts.',
    'errors.coreContactBlocked': 'You blocked this contact. Unblock them to write again.',
    'errors.coreSafetyNumberMismatch':
      'The safety number does not match. Do not trust this contact until it does.',
    'errors.coreUntrustedIdentity':
      'This contact’s safety number changed. Compare it again before you write.',
    'errors.coreIdentityMismatch':
      'Someone tried to pass as this contact. Nothing from them was accepted.',
    'errors.coreRelayUnreachable':
      'The relay cannot be reached right now. Kindred keeps trying; messages wait in the outbox.',
    'errors.coreRelayTimeout': 'The relay did not answer in time. Try again in a moment.',
    'errors.coreRelayMismatch':
      'That belongs to a different relay than this persona’s. Use a new persona: it is registered on that relay.',
    'errors.coreInsecureRelayUrl':
      'A relay on another machine needs a secure address (wss://). Plain ws:// is only for this machine.',
    'errors.coreMessageTooLarge': 'That message is too long.',
    'errors.coreMessageNotFound': 'That message is not in this conversation.',
    'errors.coreGroupNotFound': 'That group is not here.',
    'errors.coreGroupRotationDue':
      'Someone just left this group. Its key is being changed: try again in a moment.',
    'errors.coreGroupKeyMissing': 'Waiting for a member to share the group key.',
    'errors.coreGroupNotMember':
      'You are not a member of this group (removed, banned, left, or not approved yet).',
    'errors.coreGroupForbidden': 'Your role in this group does not allow that.',
    'errors.coreGroupBadTarget': 'That member or message is not in a state this applies to.',
    'errors.coreGroupBanned': 'You are banned from this group.',
    'errors.coreGroupMuted': 'You are muted in this group for now.',
    'errors.coreGroupSlowMode':
      'Slow mode is on in this group: wait a little before posting again.',
    'errors.coreGroupPostingRestricted': 'Only moderators may post in this group.',
    'errors.coreGroupInviteInvalid':
      'That group invite is unknown, expired, used up or forged. Ask for a new one.',
    'errors.coreGroupConflict': 'The group changed while this ran. Try again.',
    'errors.coreGroupOperationInvalid': 'That group change is malformed or wrongly signed.',
    'errors.corePersonaNotFound': 'That persona is not on this device.',
    'errors.coreAttachmentCorrupt':
      'That attachment was damaged or altered on its way. Nothing of it was kept.',
    'errors.coreAttachmentPointerInvalid': 'That attachment is malformed and cannot be opened.',
    'errors.coreAttachmentTooLarge': 'That file is too large to send.',
    'errors.coreAttachmentUnreadable':
      'That file is damaged or not what it seems, so it cannot be cleaned of its hidden details.',
    'errors.coreBackupKeyMalformed':
      'That recovery key has a typo: check each group of four characters.',
    'errors.coreBackupWrongKey': 'That recovery key (or passphrase) does not open this backup.',
    'errors.coreBackupCorrupt': 'This backup file is damaged or incomplete. Nothing was restored.',
    'errors.coreBackupUnsupported':
      'This backup was made by a newer Kindred. Update Kindred to restore it.',
    'errors.coreAttachmentNotCleaned':
      'That file may carry hidden details (author, camera, location) that Kindred cannot remove. Nothing was sent.',
    'errors.coreAttachmentNotDownloaded':
      'That attachment is not on this device yet: it is still downloading, or its download failed.',
    'errors.coreWarningRequired':
      'This group asks for a content warning on images: add one before sending.',
    'errors.coreVaultExists':
      'There is already a vault in that folder, and a restore never replaces one. Restore into a new, empty home folder.',
    'errors.coreNotAuthor': 'Only the person who wrote a message can edit or delete it.',
    'errors.coreReactionNotEmoji': 'A reaction is one emoji.',
    'errors.coreInviteUsedUp': 'This link was already used. Ask for a new one.',
    'errors.coreContactRefused':
      'Not connected: this person’s link was already used. Ask them for a new one.',
    'errors.coreMessageNotFailed': 'That message is not waiting to be sent again.',
    'errors.coreTopicNotFound': 'This group has no such topic.',
    'errors.coreTopicClosed': 'This topic is closed to new messages.',
    'errors.corePrivateMessagesOff':
      'This group does not let members write to each other privately.',
    'errors.coreRequestNotFound': 'That message request is no longer open.',
    'errors.coreRequestPending':
      'They have not accepted your message request yet: only text messages go until they do.',
    'errors.coreListingInvalid':
      'This listing could not be checked: it may have been altered, so it is not shown.',
    'errors.coreCredentialInvalid': 'This facilitator credential could not be checked.',
    'errors.coreDirectoryOperatorUnendorsed':
      'This relay’s directory cannot be trusted: its operator’s key is not vouched for by the relay’s own keys. Nothing from it is shown.',
    'errors.coreDirectoryNotFollowed': 'You do not follow that directory.',
    'errors.coreListingNotFound':
      'That listing is no longer in the directory. Refresh to see what is listed now.',
    'errors.relayRateLimited': 'The relay is busy. Try again in a moment.',
    'errors.relayUnavailable': 'The relay is busy. Try again in a moment.',
    'errors.relayMailboxFull': 'That person’s mailbox on the relay is full for now.',
    'errors.relayDeliveryKeyQuota':
      'Too many of your messages to that person are waiting on the relay. Try again later.',
    'errors.relayTooManyDeliveryKeys':
      'This persona has handed out as many invite links and contact keys as the relay allows. Remove an old contact or let a link expire.',
    'errors.relayBadRetention':
      'The relay does not accept that disappearing-messages timer (5 minutes to 4 weeks).',
    'errors.relayNoPrekeys': 'That person cannot be reached right now. Try again later.',
    'errors.relayGroupFull': 'The group is full.',
    'errors.relayTooManyGroups': 'This persona is in as many groups as the relay allows.',
    'errors.relayGroupCapReached':
      'This group has reached a limit on this relay (its history, deleted messages, open invites or waiting requests).',
    'errors.relayGroupMessageTooLarge': 'That message is too large for the group.',
    'errors.relayInviteInvalid': 'This relay admits newcomers only with a valid invite token.',
    'errors.relayTooManyConnections': 'The relay has too many connections from here.',
    'errors.relayQuotaExceeded':
      'You have used what the relay allows for now (groups created or space). Try again later.',
    'errors.relayStorageFull': 'The relay is out of storage space. Try again later.',
    'errors.desktopInternal':
      'Something went wrong inside Kindred. Try again; if it keeps happening, restart it.',
    'errors.relayRefused': 'The relay refused this ({relayCode}).',
    'errors.named.coreInviteUsedUp': 'This link was already used. Ask {name} for a new one.',
    'errors.named.coreInviteExpired': 'This link has expired. Ask {name} for a new one.',
    'errors.unknown': 'Something went wrong. Please try again.',
    'errors.coreScheduleInvalid':
      'That chat cannot be scheduled: check its start, length, repeats and the prompts’ times.',
    'errors.coreScheduleNotFound': 'That scheduled chat is not in this group any more.',
    'errors.coreScheduleNotRunning': 'That chat is not on now, or its question was not asked yet.',
  },
  {
    es: {
      'errors.coreVaultWrongPassphrase': 'Esa frase de contraseña no es correcta.',
      'errors.coreVaultWeakPassphrase':
        'Esa frase de contraseña es demasiado débil: elige una más larga y difícil de adivinar.',
      'errors.coreVaultLocked': 'Kindred está bloqueado. Desbloquéalo y vuelve a intentarlo.',
      'errors.coreVaultAlreadyOpen': 'Kindred ya está abierto en otra ventana o programa.',
      'errors.coreVaultCorrupt':
        'Los datos de este dispositivo están dañados y no se pueden abrir.',
      'errors.coreVaultUnsupportedVersion':
        'Los datos de este dispositivo los escribió una versión más nueva de Kindred. Actualiza Kindred para abrirlos.',
      'errors.coreVaultKdfUnsupported':
        'Los datos de este dispositivo piden más memoria o tiempo para desbloquearse de lo que Kindred permite. Puede que alguien los haya manipulado.',
      'errors.coreInvalidPseudonym': 'Un nombre tiene de 1 a 64 caracteres imprimibles.',
      'errors.coreInvalidInviteLink': 'Ese no es un enlace de invitación de Kindred válido.',
      'errors.coreInviteExpired': 'Esa invitación ha caducado o ya se usó. Pide una nueva.',
      'errors.coreContactNotFound': 'Ese contacto no está aquí.',
      'errors.coreContactExists': 'Esa persona ya es uno de tus contactos.',
      'errors.coreContactBlocked':
        'Bloqueaste a este contacto. Desbloquéalo para volver a escribirle.',
      'errors.coreSafetyNumberMismatch':
        'El número de seguridad no coincide. No confíes en este contacto hasta que coincida.',
      'errors.coreUntrustedIdentity':
        'El número de seguridad de este contacto ha cambiado. Vuelve a compararlo antes de escribir.',
      'errors.coreIdentityMismatch':
        'Alguien intentó hacerse pasar por este contacto. No se aceptó nada de su parte.',
      'errors.coreRelayUnreachable':
        'Ahora mismo no se puede llegar al relé. Kindred sigue intentándolo; los mensajes esperan en la bandeja de salida.',
      'errors.coreRelayTimeout': 'El relé no respondió a tiempo. Inténtalo de nuevo en un momento.',
      'errors.coreRelayMismatch':
        'Eso pertenece a otro relé que el de esta persona. Usa una persona nueva: se registra en ese relé.',
      'errors.coreInsecureRelayUrl':
        'Un relé en otra máquina necesita una dirección segura (wss://). ws:// sin cifrar es solo para esta máquina.',
      'errors.coreMessageTooLarge': 'Ese mensaje es demasiado largo.',
      'errors.coreMessageNotFound': 'Ese mensaje no está en esta conversación.',
      'errors.coreGroupNotFound': 'Ese grupo no está aquí.',
      'errors.coreGroupRotationDue':
        'Alguien acaba de salir de este grupo. Su clave se está cambiando: inténtalo de nuevo en un momento.',
      'errors.coreGroupKeyMissing': 'Esperando a que un miembro comparta la clave del grupo.',
      'errors.coreGroupNotMember':
        'No eres miembro de este grupo (te quitaron, te expulsaron, saliste o aún no te han aprobado).',
      'errors.coreGroupForbidden': 'Tu rol en este grupo no permite eso.',
      'errors.coreGroupBadTarget':
        'Ese miembro o mensaje no está en un estado al que esto se aplique.',
      'errors.coreGroupBanned': 'Te han expulsado de este grupo.',
      'errors.coreGroupMuted': 'Por ahora estás silenciado en este grupo.',
      'errors.coreGroupSlowMode':
        'El modo lento está activado en este grupo: espera un poco antes de volver a publicar.',
      'errors.coreGroupPostingRestricted': 'Solo los moderadores pueden publicar en este grupo.',
      'errors.coreGroupInviteInvalid':
        'Esa invitación al grupo es desconocida, ha caducado, ya se usó o es falsa. Pide una nueva.',
      'errors.coreGroupConflict': 'El grupo cambió mientras esto se hacía. Inténtalo de nuevo.',
      'errors.coreGroupOperationInvalid': 'Ese cambio en el grupo está mal formado o mal firmado.',
      'errors.corePersonaNotFound': 'Esa persona no está en este dispositivo.',
      'errors.coreAttachmentCorrupt':
        'Ese adjunto se dañó o se alteró por el camino. No se guardó nada de él.',
      'errors.coreAttachmentPointerInvalid': 'Ese adjunto está mal formado y no se puede abrir.',
      'errors.coreAttachmentTooLarge': 'Ese archivo es demasiado grande para enviarlo.',
      'errors.coreAttachmentUnreadable':
        'Ese archivo está dañado o no es lo que parece, así que no se pueden quitar sus datos ocultos.',
      'errors.coreBackupKeyMalformed':
        'Esa clave de recuperación tiene una errata: revisa cada grupo de cuatro caracteres.',
      'errors.coreBackupWrongKey':
        'Esa clave de recuperación (o frase de contraseña) no abre esta copia.',
      'errors.coreBackupCorrupt':
        'Este archivo de copia está dañado o incompleto. No se restauró nada.',
      'errors.coreBackupUnsupported':
        'Esta copia la hizo una versión más nueva de Kindred. Actualiza Kindred para restaurarla.',
      'errors.coreAttachmentNotCleaned':
        'Ese archivo puede llevar datos ocultos (autor, cámara, ubicación) que Kindred no puede quitar. No se envió nada.',
      'errors.coreAttachmentNotDownloaded':
        'Ese adjunto aún no está en este dispositivo: todavía se está descargando o su descarga falló.',
      'errors.coreWarningRequired':
        'Este grupo pide un aviso de contenido en las imágenes: añade uno antes de enviar.',
      'errors.coreVaultExists':
        'Ya hay una bóveda en esa carpeta, y una restauración nunca reemplaza una. Restaura en una carpeta personal nueva y vacía.',
      'errors.coreNotAuthor': 'Solo quien escribió un mensaje puede editarlo o borrarlo.',
      'errors.coreReactionNotEmoji': 'Una reacción es un emoji.',
      'errors.coreInviteUsedUp': 'Este enlace ya se usó. Pide uno nuevo.',
      'errors.coreContactRefused':
        'Sin conexión: el enlace de esta persona ya se usó. Pídele uno nuevo.',
      'errors.coreMessageNotFailed': 'Ese mensaje no está esperando a que se vuelva a enviar.',
      'errors.coreTopicNotFound': 'Este grupo no tiene ese tema.',
      'errors.coreTopicClosed': 'Este tema está cerrado a mensajes nuevos.',
      'errors.corePrivateMessagesOff':
        'Este grupo no permite que los miembros se escriban en privado.',
      'errors.coreRequestNotFound': 'Esa solicitud de mensaje ya no está abierta.',
      'errors.coreRequestPending':
        'Aún no ha aceptado tu solicitud de mensaje: hasta entonces solo se envían mensajes de texto.',
      'errors.coreListingInvalid':
        'No se pudo comprobar este anuncio: puede haber sido alterado, así que no se muestra.',
      'errors.coreCredentialInvalid':
        'No se pudo comprobar la credencial de esta persona facilitadora.',
      'errors.coreDirectoryOperatorUnendorsed':
        'No se puede confiar en el directorio de este relé: las claves del propio relé no respaldan la clave de su operador. No se muestra nada de él.',
      'errors.coreDirectoryNotFollowed': 'No sigues ese directorio.',
      'errors.coreListingNotFound':
        'Ese anuncio ya no está en el directorio. Actualiza para ver lo que hay ahora.',
      'errors.relayRateLimited': 'El relé está ocupado. Inténtalo de nuevo en un momento.',
      'errors.relayUnavailable': 'El relé está ocupado. Inténtalo de nuevo en un momento.',
      'errors.relayMailboxFull': 'El buzón de esa persona en el relé está lleno por ahora.',
      'errors.relayDeliveryKeyQuota':
        'Demasiados mensajes tuyos para esa persona esperan en el relé. Inténtalo más tarde.',
      'errors.relayTooManyDeliveryKeys':
        'Esta persona ya ha repartido tantos enlaces de invitación y claves de contacto como permite el relé. Quita un contacto antiguo o deja que caduque un enlace.',
      'errors.relayBadRetention':
        'El relé no acepta ese temporizador de mensajes temporales (de 5 minutos a 4 semanas).',
      'errors.relayNoPrekeys':
        'Ahora mismo no se puede contactar con esa persona. Inténtalo más tarde.',
      'errors.relayGroupFull': 'El grupo está lleno.',
      'errors.relayTooManyGroups': 'Esta persona ya está en tantos grupos como permite el relé.',
      'errors.relayGroupCapReached':
        'Este grupo ha llegado a un límite en este relé (su historial, sus mensajes borrados, sus invitaciones abiertas o sus solicitudes pendientes).',
      'errors.relayGroupMessageTooLarge': 'Ese mensaje es demasiado grande para el grupo.',
      'errors.relayInviteInvalid':
        'Este relé solo admite recién llegados con un token de invitación válido.',
      'errors.relayTooManyConnections': 'El relé tiene demasiadas conexiones desde aquí.',
      'errors.relayQuotaExceeded':
        'Has usado lo que el relé permite por ahora (grupos creados o espacio). Inténtalo más tarde.',
      'errors.relayStorageFull': 'El relé se ha quedado sin espacio. Inténtalo más tarde.',
      'errors.desktopInternal':
        'Algo salió mal dentro de Kindred. Inténtalo de nuevo; si sigue pasando, reinícialo.',
      'errors.relayRefused': 'El relé rechazó esto ({relayCode}).',
      'errors.named.coreInviteUsedUp': 'Este enlace ya se usó. Pídele uno nuevo a {name}.',
      'errors.named.coreInviteExpired': 'Este enlace ha caducado. Pídele uno nuevo a {name}.',
      'errors.unknown': 'Algo salió mal. Inténtalo de nuevo.',
      'errors.coreScheduleInvalid':
        'No se puede programar ese chat: revisa el inicio, la duración, las repeticiones y las horas de las preguntas.',
      'errors.coreScheduleNotFound': 'Ese chat programado ya no está en este grupo.',
      'errors.coreScheduleNotRunning':
        'Ese chat no está en curso ahora, o su pregunta aún no se ha hecho.',
    },
    fr: {
      'errors.coreVaultWrongPassphrase': 'Cette phrase secrète n’est pas la bonne.',
      'errors.coreVaultWeakPassphrase':
        'Cette phrase secrète est trop faible : choisissez-en une plus longue et difficile à deviner.',
      'errors.coreVaultLocked': 'Kindred est verrouillé. Déverrouillez-le et réessayez.',
      'errors.coreVaultAlreadyOpen':
        'Kindred est déjà ouvert dans une autre fenêtre ou un autre programme.',
      'errors.coreVaultCorrupt':
        'Les données de cet appareil sont endommagées et ne peuvent pas être ouvertes.',
      'errors.coreVaultUnsupportedVersion':
        'Les données de cet appareil ont été écrites par une version plus récente de Kindred. Mettez Kindred à jour pour les ouvrir.',
      'errors.coreVaultKdfUnsupported':
        'Les données de cet appareil demandent plus de mémoire ou de temps pour être déverrouillées que Kindred ne le permet. Elles ont peut-être été altérées.',
      'errors.coreInvalidPseudonym': 'Un nom compte de 1 à 64 caractères imprimables.',
      'errors.coreInvalidInviteLink': 'Ce n’est pas un lien d’invitation Kindred valide.',
      'errors.coreInviteExpired':
        'Cette invitation a expiré ou a déjà été utilisée. Demandez-en une nouvelle.',
      'errors.coreContactNotFound': 'Ce contact n’est pas ici.',
      'errors.coreContactExists': 'Cette personne fait déjà partie de vos contacts.',
      'errors.coreContactBlocked':
        'Vous avez bloqué ce contact. Débloquez-le pour lui écrire de nouveau.',
      'errors.coreSafetyNumberMismatch':
        'Le numéro de sécurité ne correspond pas. Ne faites pas confiance à ce contact tant qu’il ne correspond pas.',
      'errors.coreUntrustedIdentity':
        'Le numéro de sécurité de ce contact a changé. Comparez-le de nouveau avant d’écrire.',
      'errors.coreIdentityMismatch':
        'Quelqu’un a tenté de se faire passer pour ce contact. Rien de sa part n’a été accepté.',
      'errors.coreRelayUnreachable':
        'Le relais est injoignable pour le moment. Kindred continue d’essayer ; les messages attendent dans la boîte d’envoi.',
      'errors.coreRelayTimeout': 'Le relais n’a pas répondu à temps. Réessayez dans un instant.',
      'errors.coreRelayMismatch':
        'Cela appartient à un autre relais que celui de cette persona. Utilisez une nouvelle persona : elle est inscrite sur ce relais.',
      'errors.coreInsecureRelayUrl':
        'Un relais sur une autre machine exige une adresse sécurisée (wss://). Le simple ws:// est réservé à cette machine.',
      'errors.coreMessageTooLarge': 'Ce message est trop long.',
      'errors.coreMessageNotFound': 'Ce message n’est pas dans cette conversation.',
      'errors.coreGroupNotFound': 'Ce groupe n’est pas ici.',
      'errors.coreGroupRotationDue':
        'Quelqu’un vient de quitter ce groupe. Sa clé est en train de changer : réessayez dans un instant.',
      'errors.coreGroupKeyMissing': 'En attente qu’un membre partage la clé du groupe.',
      'errors.coreGroupNotMember':
        'Vous n’êtes pas membre de ce groupe (retiré, banni, parti ou pas encore accepté).',
      'errors.coreGroupForbidden': 'Votre rôle dans ce groupe ne le permet pas.',
      'errors.coreGroupBadTarget':
        'Ce membre ou ce message n’est pas dans un état auquel cela s’applique.',
      'errors.coreGroupBanned': 'Vous êtes banni de ce groupe.',
      'errors.coreGroupMuted': 'Vous êtes réduit au silence dans ce groupe pour le moment.',
      'errors.coreGroupSlowMode':
        'Le mode lent est activé dans ce groupe : attendez un peu avant de publier à nouveau.',
      'errors.coreGroupPostingRestricted': 'Seuls les modérateurs peuvent publier dans ce groupe.',
      'errors.coreGroupInviteInvalid':
        'Cette invitation au groupe est inconnue, expirée, épuisée ou falsifiée. Demandez-en une nouvelle.',
      'errors.coreGroupConflict': 'Le groupe a changé pendant l’opération. Réessayez.',
      'errors.coreGroupOperationInvalid':
        'Cette modification du groupe est mal formée ou mal signée.',
      'errors.corePersonaNotFound': 'Cette persona n’est pas sur cet appareil.',
      'errors.coreAttachmentCorrupt':
        'Cette pièce jointe a été endommagée ou modifiée en route. Rien n’en a été gardé.',
      'errors.coreAttachmentPointerInvalid':
        'Cette pièce jointe est mal formée et ne peut pas être ouverte.',
      'errors.coreAttachmentTooLarge': 'Ce fichier est trop volumineux pour être envoyé.',
      'errors.coreAttachmentUnreadable':
        'Ce fichier est endommagé ou n’est pas ce qu’il semble être : ses informations cachées ne peuvent donc pas être retirées.',
      'errors.coreBackupKeyMalformed':
        'Cette clé de récupération contient une faute de frappe : vérifiez chaque groupe de quatre caractères.',
      'errors.coreBackupWrongKey':
        'Cette clé de récupération (ou phrase secrète) n’ouvre pas cette sauvegarde.',
      'errors.coreBackupCorrupt':
        'Ce fichier de sauvegarde est endommagé ou incomplet. Rien n’a été restauré.',
      'errors.coreBackupUnsupported':
        'Cette sauvegarde a été faite par une version plus récente de Kindred. Mettez Kindred à jour pour la restaurer.',
      'errors.coreAttachmentNotCleaned':
        'Ce fichier peut contenir des informations cachées (auteur, appareil photo, lieu) que Kindred ne peut pas retirer. Rien n’a été envoyé.',
      'errors.coreAttachmentNotDownloaded':
        'Cette pièce jointe n’est pas encore sur cet appareil : elle est en cours de téléchargement, ou son téléchargement a échoué.',
      'errors.coreWarningRequired':
        'Ce groupe demande un avertissement de contenu sur les images : ajoutez-en un avant d’envoyer.',
      'errors.coreVaultExists':
        'Il y a déjà un coffre dans ce dossier, et une restauration n’en remplace jamais un. Restaurez dans un nouveau dossier personnel vide.',
      'errors.coreNotAuthor':
        'Seule la personne qui a écrit un message peut le modifier ou le supprimer.',
      'errors.coreReactionNotEmoji': 'Une réaction est un seul emoji.',
      'errors.coreInviteUsedUp': 'Ce lien a déjà été utilisé. Demandez-en un nouveau.',
      'errors.coreContactRefused':
        'Pas de connexion : le lien de cette personne a déjà été utilisé. Demandez-lui-en un nouveau.',
      'errors.coreMessageNotFailed': 'Ce message n’attend pas d’être renvoyé.',
      'errors.coreTopicNotFound': 'Ce groupe n’a pas ce sujet.',
      'errors.coreTopicClosed': 'Ce sujet est fermé aux nouveaux messages.',
      'errors.corePrivateMessagesOff': 'Ce groupe ne permet pas aux membres de s’écrire en privé.',
      'errors.coreRequestNotFound': 'Cette demande de message n’est plus ouverte.',
      'errors.coreRequestPending':
        'Votre demande de message n’est pas encore acceptée : seuls les messages texte partent d’ici là.',
      'errors.coreListingInvalid':
        'Impossible de vérifier cette annonce : elle a peut-être été modifiée, elle n’est donc pas affichée.',
      'errors.coreCredentialInvalid':
        'Impossible de vérifier l’accréditation de cette personne facilitatrice.',
      'errors.coreDirectoryOperatorUnendorsed':
        'On ne peut pas se fier à l’annuaire de ce relais : les clés du relais ne garantissent pas la clé de son opérateur. Rien n’en est affiché.',
      'errors.coreDirectoryNotFollowed': 'Vous ne suivez pas cet annuaire.',
      'errors.coreListingNotFound':
        'Cette annonce n’est plus dans l’annuaire. Actualisez pour voir ce qui est listé maintenant.',
      'errors.relayRateLimited': 'Le relais est occupé. Réessayez dans un instant.',
      'errors.relayUnavailable': 'Le relais est occupé. Réessayez dans un instant.',
      'errors.relayMailboxFull':
        'La boîte de cette personne sur le relais est pleine pour le moment.',
      'errors.relayDeliveryKeyQuota':
        'Trop de vos messages pour cette personne attendent sur le relais. Réessayez plus tard.',
      'errors.relayTooManyDeliveryKeys':
        'Cette persona a distribué autant de liens d’invitation et de clés de contact que le relais le permet. Retirez un ancien contact ou laissez un lien expirer.',
      'errors.relayBadRetention':
        'Le relais n’accepte pas cette durée de messages éphémères (de 5 minutes à 4 semaines).',
      'errors.relayNoPrekeys':
        'Cette personne est injoignable pour le moment. Réessayez plus tard.',
      'errors.relayGroupFull': 'Le groupe est complet.',
      'errors.relayTooManyGroups':
        'Cette persona est dans autant de groupes que le relais le permet.',
      'errors.relayGroupCapReached':
        'Ce groupe a atteint une limite sur ce relais (son historique, ses messages supprimés, ses invitations ouvertes ou ses demandes en attente).',
      'errors.relayGroupMessageTooLarge': 'Ce message est trop volumineux pour le groupe.',
      'errors.relayInviteInvalid':
        'Ce relais n’admet les nouveaux venus qu’avec un jeton d’invitation valide.',
      'errors.relayTooManyConnections': 'Le relais a trop de connexions venant d’ici.',
      'errors.relayQuotaExceeded':
        'Vous avez utilisé ce que le relais permet pour le moment (groupes créés ou espace). Réessayez plus tard.',
      'errors.relayStorageFull': 'Le relais n’a plus d’espace de stockage. Réessayez plus tard.',
      'errors.desktopInternal':
        'Un problème est survenu dans Kindred. Réessayez ; si cela continue, redémarrez-le.',
      'errors.relayRefused': 'Le relais a refusé cela ({relayCode}).',
      'errors.named.coreInviteUsedUp':
        'Ce lien a déjà été utilisé. Demandez-en un nouveau à {name}.',
      'errors.named.coreInviteExpired': 'Ce lien a expiré. Demandez-en un nouveau à {name}.',
      'errors.unknown': 'Un problème est survenu. Veuillez réessayer.',
      'errors.coreScheduleInvalid':
        'Impossible de programmer ce chat : vérifiez le début, la durée, les répétitions et l’heure des questions.',
      'errors.coreScheduleNotFound': 'Ce chat programmé n’est plus dans ce groupe.',
      'errors.coreScheduleNotRunning':
        'Ce chat n’a pas lieu maintenant, ou sa question n’a pas encore été posée.',
    },
    de: {
      'errors.coreVaultWrongPassphrase': 'Diese Passphrase stimmt nicht.',
      'errors.coreVaultWeakPassphrase':
        'Diese Passphrase ist zu schwach: Wähle eine längere, die schwer zu erraten ist.',
      'errors.coreVaultLocked': 'Kindred ist gesperrt. Entsperre es und versuche es noch einmal.',
      'errors.coreVaultAlreadyOpen':
        'Kindred ist schon in einem anderen Fenster oder Programm geöffnet.',
      'errors.coreVaultCorrupt':
        'Die Daten auf diesem Gerät sind beschädigt und lassen sich nicht öffnen.',
      'errors.coreVaultUnsupportedVersion':
        'Die Daten auf diesem Gerät stammen von einer neueren Kindred-Version. Aktualisiere Kindred, um sie zu öffnen.',
      'errors.coreVaultKdfUnsupported':
        'Die Daten auf diesem Gerät verlangen zum Entsperren mehr Speicher oder Zeit, als Kindred erlaubt. Vielleicht wurden sie manipuliert.',
      'errors.coreInvalidPseudonym': 'Ein Name hat 1 bis 64 druckbare Zeichen.',
      'errors.coreInvalidInviteLink': 'Das ist kein gültiger Kindred-Einladungslink.',
      'errors.coreInviteExpired':
        'Diese Einladung ist abgelaufen oder schon verbraucht. Bitte um eine neue.',
      'errors.coreContactNotFound': 'Dieser Kontakt ist nicht hier.',
      'errors.coreContactExists': 'Diese Person ist schon einer deiner Kontakte.',
      'errors.coreContactBlocked':
        'Du hast diesen Kontakt blockiert. Hebe die Blockierung auf, um wieder zu schreiben.',
      'errors.coreSafetyNumberMismatch':
        'Die Sicherheitsnummer stimmt nicht überein. Vertraue diesem Kontakt erst, wenn sie übereinstimmt.',
      'errors.coreUntrustedIdentity':
        'Die Sicherheitsnummer dieses Kontakts hat sich geändert. Vergleiche sie erneut, bevor du schreibst.',
      'errors.coreIdentityMismatch':
        'Jemand hat versucht, sich als dieser Kontakt auszugeben. Nichts davon wurde angenommen.',
      'errors.coreRelayUnreachable':
        'Das Relay ist gerade nicht erreichbar. Kindred versucht es weiter; Nachrichten warten im Postausgang.',
      'errors.coreRelayTimeout':
        'Das Relay hat nicht rechtzeitig geantwortet. Versuche es gleich noch einmal.',
      'errors.coreRelayMismatch':
        'Das gehört zu einem anderen Relay als dem dieser Persona. Nimm eine neue Persona: Sie wird auf jenem Relay registriert.',
      'errors.coreInsecureRelayUrl':
        'Ein Relay auf einem anderen Rechner braucht eine sichere Adresse (wss://). Einfaches ws:// ist nur für diesen Rechner.',
      'errors.coreMessageTooLarge': 'Diese Nachricht ist zu lang.',
      'errors.coreMessageNotFound': 'Diese Nachricht ist nicht in dieser Unterhaltung.',
      'errors.coreGroupNotFound': 'Diese Gruppe ist nicht hier.',
      'errors.coreGroupRotationDue':
        'Jemand hat diese Gruppe gerade verlassen. Ihr Schlüssel wird gewechselt: Versuche es gleich noch einmal.',
      'errors.coreGroupKeyMissing': 'Warten, bis ein Mitglied den Gruppenschlüssel teilt.',
      'errors.coreGroupNotMember':
        'Du bist kein Mitglied dieser Gruppe (entfernt, gesperrt, ausgetreten oder noch nicht zugelassen).',
      'errors.coreGroupForbidden': 'Deine Rolle in dieser Gruppe erlaubt das nicht.',
      'errors.coreGroupBadTarget':
        'Dieses Mitglied oder diese Nachricht ist nicht in einem Zustand, für den das gilt.',
      'errors.coreGroupBanned': 'Du bist aus dieser Gruppe verbannt.',
      'errors.coreGroupMuted': 'Du bist in dieser Gruppe vorerst stummgeschaltet.',
      'errors.coreGroupSlowMode':
        'In dieser Gruppe ist der langsame Modus an: Warte ein wenig, bevor du wieder etwas schreibst.',
      'errors.coreGroupPostingRestricted': 'Nur Moderatoren dürfen in dieser Gruppe schreiben.',
      'errors.coreGroupInviteInvalid':
        'Diese Gruppeneinladung ist unbekannt, abgelaufen, verbraucht oder gefälscht. Bitte um eine neue.',
      'errors.coreGroupConflict': 'Die Gruppe hat sich dabei geändert. Versuche es noch einmal.',
      'errors.coreGroupOperationInvalid':
        'Diese Gruppenänderung ist fehlerhaft oder falsch signiert.',
      'errors.corePersonaNotFound': 'Diese Persona ist nicht auf diesem Gerät.',
      'errors.coreAttachmentCorrupt':
        'Dieser Anhang wurde unterwegs beschädigt oder verändert. Nichts davon wurde behalten.',
      'errors.coreAttachmentPointerInvalid':
        'Dieser Anhang ist fehlerhaft und lässt sich nicht öffnen.',
      'errors.coreAttachmentTooLarge': 'Diese Datei ist zu groß zum Senden.',
      'errors.coreAttachmentUnreadable':
        'Diese Datei ist beschädigt oder nicht, was sie zu sein scheint, daher lassen sich ihre versteckten Angaben nicht entfernen.',
      'errors.coreBackupKeyMalformed':
        'Dieser Wiederherstellungsschlüssel hat einen Tippfehler: Prüfe jede Vierergruppe von Zeichen.',
      'errors.coreBackupWrongKey':
        'Dieser Wiederherstellungsschlüssel (oder diese Passphrase) öffnet diese Sicherung nicht.',
      'errors.coreBackupCorrupt':
        'Diese Sicherungsdatei ist beschädigt oder unvollständig. Nichts wurde wiederhergestellt.',
      'errors.coreBackupUnsupported':
        'Diese Sicherung stammt von einer neueren Kindred-Version. Aktualisiere Kindred, um sie wiederherzustellen.',
      'errors.coreAttachmentNotCleaned':
        'Diese Datei kann versteckte Angaben (Autor, Kamera, Ort) enthalten, die Kindred nicht entfernen kann. Nichts wurde gesendet.',
      'errors.coreAttachmentNotDownloaded':
        'Dieser Anhang ist noch nicht auf diesem Gerät: Er wird noch heruntergeladen, oder der Download ist fehlgeschlagen.',
      'errors.coreWarningRequired':
        'Diese Gruppe verlangt eine Inhaltswarnung bei Bildern: Füge eine hinzu, bevor du sendest.',
      'errors.coreVaultExists':
        'In diesem Ordner liegt schon ein Tresor, und eine Wiederherstellung ersetzt nie einen. Stelle in einem neuen, leeren Home-Ordner wieder her.',
      'errors.coreNotAuthor':
        'Nur wer eine Nachricht geschrieben hat, kann sie bearbeiten oder löschen.',
      'errors.coreReactionNotEmoji': 'Eine Reaktion ist ein einzelnes Emoji.',
      'errors.coreInviteUsedUp': 'Dieser Link wurde schon benutzt. Bitte um einen neuen.',
      'errors.coreContactRefused':
        'Nicht verbunden: Der Link dieser Person wurde schon benutzt. Bitte sie um einen neuen.',
      'errors.coreMessageNotFailed':
        'Diese Nachricht wartet nicht darauf, erneut gesendet zu werden.',
      'errors.coreTopicNotFound': 'Diese Gruppe hat kein solches Thema.',
      'errors.coreTopicClosed': 'Dieses Thema ist für neue Nachrichten geschlossen.',
      'errors.corePrivateMessagesOff':
        'Diese Gruppe erlaubt Mitgliedern nicht, einander privat zu schreiben.',
      'errors.coreRequestNotFound': 'Diese Nachrichtenanfrage ist nicht mehr offen.',
      'errors.coreRequestPending':
        'Deine Nachrichtenanfrage wurde noch nicht angenommen: Bis dahin gehen nur Textnachrichten.',
      'errors.coreListingInvalid':
        'Dieser Eintrag ließ sich nicht prüfen: Er wurde vielleicht verändert und wird deshalb nicht gezeigt.',
      'errors.coreCredentialInvalid':
        'Der Nachweis dieser begleitenden Person ließ sich nicht prüfen.',
      'errors.coreDirectoryOperatorUnendorsed':
        'Dem Verzeichnis dieses Relays ist nicht zu trauen: Die eigenen Schlüssel des Relays bürgen nicht für den Schlüssel seines Betreibers. Nichts daraus wird gezeigt.',
      'errors.coreDirectoryNotFollowed': 'Sie folgen diesem Verzeichnis nicht.',
      'errors.coreListingNotFound':
        'Dieser Eintrag ist nicht mehr im Verzeichnis. Aktualisieren Sie, um zu sehen, was jetzt eingetragen ist.',
      'errors.relayRateLimited': 'Das Relay ist ausgelastet. Versuche es gleich noch einmal.',
      'errors.relayUnavailable': 'Das Relay ist ausgelastet. Versuche es gleich noch einmal.',
      'errors.relayMailboxFull': 'Das Postfach dieser Person auf dem Relay ist vorerst voll.',
      'errors.relayDeliveryKeyQuota':
        'Zu viele deiner Nachrichten an diese Person warten auf dem Relay. Versuche es später noch einmal.',
      'errors.relayTooManyDeliveryKeys':
        'Diese Persona hat so viele Einladungslinks und Kontaktschlüssel vergeben, wie das Relay erlaubt. Entferne einen alten Kontakt oder lass einen Link ablaufen.',
      'errors.relayBadRetention':
        'Das Relay akzeptiert diesen Timer für verschwindende Nachrichten nicht (5 Minuten bis 4 Wochen).',
      'errors.relayNoPrekeys':
        'Diese Person ist gerade nicht erreichbar. Versuche es später noch einmal.',
      'errors.relayGroupFull': 'Die Gruppe ist voll.',
      'errors.relayTooManyGroups': 'Diese Persona ist in so vielen Gruppen, wie das Relay erlaubt.',
      'errors.relayGroupCapReached':
        'Diese Gruppe hat auf diesem Relay eine Grenze erreicht (ihr Verlauf, gelöschte Nachrichten, offene Einladungen oder wartende Anfragen).',
      'errors.relayGroupMessageTooLarge': 'Diese Nachricht ist zu groß für die Gruppe.',
      'errors.relayInviteInvalid':
        'Dieses Relay lässt Neue nur mit einem gültigen Einladungstoken zu.',
      'errors.relayTooManyConnections': 'Das Relay hat zu viele Verbindungen von hier.',
      'errors.relayQuotaExceeded':
        'Du hast vorerst ausgeschöpft, was das Relay erlaubt (erstellte Gruppen oder Speicherplatz). Versuche es später noch einmal.',
      'errors.relayStorageFull':
        'Das Relay hat keinen Speicherplatz mehr. Versuche es später noch einmal.',
      'errors.desktopInternal':
        'In Kindred ist etwas schiefgegangen. Versuche es noch einmal; wenn es wieder passiert, starte es neu.',
      'errors.relayRefused': 'Das Relay hat das abgelehnt ({relayCode}).',
      'errors.named.coreInviteUsedUp':
        'Dieser Link wurde schon benutzt. Bitte {name} um einen neuen.',
      'errors.named.coreInviteExpired': 'Dieser Link ist abgelaufen. Bitte {name} um einen neuen.',
      'errors.unknown': 'Etwas ist schiefgegangen. Bitte versuche es noch einmal.',
      'errors.coreScheduleInvalid':
        'Dieser Chat kann nicht geplant werden: Prüfe Beginn, Dauer, Wiederholungen und die Zeiten der Fragen.',
      'errors.coreScheduleNotFound': 'Dieser geplante Chat ist nicht mehr in dieser Gruppe.',
      'errors.coreScheduleNotRunning':
        'Dieser Chat läuft gerade nicht, oder seine Frage wurde noch nicht gestellt.',
    },
    ar: {
      'errors.coreVaultWrongPassphrase': 'عبارة المرور هذه غير صحيحة.',
      'errors.coreVaultWeakPassphrase': 'عبارة المرور هذه ضعيفة جدًا: اختر عبارة أطول يصعب تخمينها.',
      'errors.coreVaultLocked': 'Kindred مقفل. افتح قفله وحاول مرة أخرى.',
      'errors.coreVaultAlreadyOpen': 'Kindred مفتوح بالفعل في نافذة أو برنامج آخر.',
      'errors.coreVaultCorrupt': 'البيانات على هذا الجهاز تالفة ولا يمكن فتحها.',
      'errors.coreVaultUnsupportedVersion':
        'كتبت هذه البيانات نسخةٌ أحدث من Kindred. حدّث Kindred لفتحها.',
      'errors.coreVaultKdfUnsupported':
        'تطلب البيانات على هذا الجهاز ذاكرةً أو وقتًا لفتح قفلها أكثر مما يسمح به Kindred. ربما عبث بها أحد.',
      'errors.coreInvalidPseudonym': 'يتكوّن الاسم من 1 إلى 64 حرفًا قابلًا للطباعة.',
      'errors.coreInvalidInviteLink': 'هذا ليس رابط دعوة صالحًا من Kindred.',
      'errors.coreInviteExpired': 'انتهت صلاحية هذه الدعوة أو استُخدمت بالكامل. اطلب دعوة جديدة.',
      'errors.coreContactNotFound': 'جهة الاتصال هذه غير موجودة هنا.',
      'errors.coreContactExists': 'هذا الشخص من جهات اتصالك بالفعل.',
      'errors.coreContactBlocked': 'لقد حظرت جهة الاتصال هذه. ألغِ الحظر لتكتب لها مجددًا.',
      'errors.coreSafetyNumberMismatch':
        'رقم الأمان غير مطابق. لا تثق بجهة الاتصال هذه حتى يتطابق.',
      'errors.coreUntrustedIdentity': 'تغيّر رقم الأمان لجهة الاتصال هذه. قارنه مجددًا قبل أن تكتب.',
      'errors.coreIdentityMismatch': 'حاول أحدهم انتحال صفة جهة الاتصال هذه. لم يُقبل منه أي شيء.',
      'errors.coreRelayUnreachable':
        'لا يمكن الوصول إلى المُرحِّل الآن. يواصل Kindred المحاولة، والرسائل تنتظر في صندوق الصادر.',
      'errors.coreRelayTimeout': 'لم يردّ المُرحِّل في الوقت المناسب. حاول مجددًا بعد قليل.',
      'errors.coreRelayMismatch':
        'هذا يخص مُرحِّلًا غير مُرحِّل هذه الشخصية. استخدم شخصية جديدة: تُسجَّل على ذلك المُرحِّل.',
      'errors.coreInsecureRelayUrl':
        'يحتاج المُرحِّل على جهاز آخر إلى عنوان آمن (wss://). أما ws:// العادي فهو لهذا الجهاز فقط.',
      'errors.coreMessageTooLarge': 'هذه الرسالة طويلة جدًا.',
      'errors.coreMessageNotFound': 'هذه الرسالة ليست في هذه المحادثة.',
      'errors.coreGroupNotFound': 'هذه المجموعة غير موجودة هنا.',
      'errors.coreGroupRotationDue':
        'غادر أحدهم هذه المجموعة للتو. يجري تغيير مفتاحها: حاول مجددًا بعد قليل.',
      'errors.coreGroupKeyMissing': 'بانتظار أن يشارك أحد الأعضاء مفتاح المجموعة.',
      'errors.coreGroupNotMember':
        'لست عضوًا في هذه المجموعة (أُزلت أو حُظرت أو غادرت أو لم تُقبل بعد).',
      'errors.coreGroupForbidden': 'دورك في هذه المجموعة لا يسمح بذلك.',
      'errors.coreGroupBadTarget': 'هذا العضو أو هذه الرسالة ليس في حالة ينطبق عليها هذا.',
      'errors.coreGroupBanned': 'أنت محظور من هذه المجموعة.',
      'errors.coreGroupMuted': 'أنت مكتوم في هذه المجموعة حاليًا.',
      'errors.coreGroupSlowMode':
        'الوضع البطيء مفعّل في هذه المجموعة: انتظر قليلًا قبل أن تنشر مجددًا.',
      'errors.coreGroupPostingRestricted': 'يمكن للمشرفين وحدهم النشر في هذه المجموعة.',
      'errors.coreGroupInviteInvalid':
        'دعوة المجموعة هذه مجهولة أو منتهية أو مستنفدة أو مزوّرة. اطلب دعوة جديدة.',
      'errors.coreGroupConflict': 'تغيّرت المجموعة أثناء تنفيذ هذا. حاول مجددًا.',
      'errors.coreGroupOperationInvalid': 'تغيير المجموعة هذا مشوّه أو موقّع بشكل خاطئ.',
      'errors.corePersonaNotFound': 'هذه الشخصية ليست على هذا الجهاز.',
      'errors.coreAttachmentCorrupt': 'تلف هذا المرفق أو عُدّل في طريقه. لم يُحفظ منه شيء.',
      'errors.coreAttachmentPointerInvalid': 'هذا المرفق مشوّه ولا يمكن فتحه.',
      'errors.coreAttachmentTooLarge': 'هذا الملف أكبر من أن يُرسل.',
      'errors.coreAttachmentUnreadable':
        'هذا الملف تالف أو ليس كما يبدو، لذا لا يمكن تنظيفه من تفاصيله المخفية.',
      'errors.coreBackupKeyMalformed':
        'في مفتاح الاسترداد هذا خطأ مطبعي: راجع كل مجموعة من أربعة أحرف.',
      'errors.coreBackupWrongKey':
        'مفتاح الاسترداد هذا (أو عبارة المرور) لا يفتح هذه النسخة الاحتياطية.',
      'errors.coreBackupCorrupt': 'ملف النسخة الاحتياطية هذا تالف أو ناقص. لم يُستعد أي شيء.',
      'errors.coreBackupUnsupported':
        'صُنعت هذه النسخة الاحتياطية بنسخة أحدث من Kindred. حدّث Kindred لاستعادتها.',
      'errors.coreAttachmentNotCleaned':
        'قد يحمل هذا الملف تفاصيل مخفية (المؤلف، الكاميرا، الموقع) لا يستطيع Kindred إزالتها. لم يُرسل شيء.',
      'errors.coreAttachmentNotDownloaded':
        'هذا المرفق ليس على هذا الجهاز بعد: ما زال يُنزَّل، أو فشل تنزيله.',
      'errors.coreWarningRequired':
        'تطلب هذه المجموعة تحذيرًا من المحتوى على الصور: أضف تحذيرًا قبل الإرسال.',
      'errors.coreVaultExists':
        'توجد خزنة في ذلك المجلد بالفعل، والاستعادة لا تستبدل خزنة أبدًا. استعد في مجلد رئيسي جديد وفارغ.',
      'errors.coreNotAuthor': 'لا يستطيع تعديل الرسالة أو حذفها إلا من كتبها.',
      'errors.coreReactionNotEmoji': 'التفاعل رمز تعبيري واحد.',
      'errors.coreInviteUsedUp': 'استُخدم هذا الرابط من قبل. اطلب رابطًا جديدًا.',
      'errors.coreContactRefused':
        'لم يتم الاتصال: رابط هذا الشخص استُخدم من قبل. اطلب منه رابطًا جديدًا.',
      'errors.coreMessageNotFailed': 'هذه الرسالة لا تنتظر إعادة إرسالها.',
      'errors.coreTopicNotFound': 'لا يوجد موضوع كهذا في هذه المجموعة.',
      'errors.coreTopicClosed': 'هذا الموضوع مغلق أمام الرسائل الجديدة.',
      'errors.corePrivateMessagesOff': 'لا تسمح هذه المجموعة للأعضاء بمراسلة بعضهم على انفراد.',
      'errors.coreRequestNotFound': 'لم يعد طلب المراسلة هذا مفتوحًا.',
      'errors.coreRequestPending':
        'لم يُقبل طلب مراسلتك بعد: حتى ذلك الحين تُرسل الرسائل النصية فقط.',
      'errors.coreListingInvalid': 'تعذّر التحقق من هذا الإدراج: ربما عُدّل، لذلك لا يُعرض.',
      'errors.coreCredentialInvalid': 'تعذّر التحقق من اعتماد هذا الميسّر.',
      'errors.coreDirectoryOperatorUnendorsed':
        'لا يمكن الوثوق بدليل هذا الخادم: مفاتيح الخادم نفسه لا تكفل مفتاح مشغّله. لا يُعرض منه شيء.',
      'errors.coreDirectoryNotFollowed': 'أنت لا تتابع ذلك الدليل.',
      'errors.coreListingNotFound': 'لم يعد هذا الإدراج في الدليل. حدّث لترى ما هو مدرج الآن.',
      'errors.relayRateLimited': 'المُرحِّل مشغول. حاول مجددًا بعد قليل.',
      'errors.relayUnavailable': 'المُرحِّل مشغول. حاول مجددًا بعد قليل.',
      'errors.relayMailboxFull': 'صندوق بريد هذا الشخص على المُرحِّل ممتلئ حاليًا.',
      'errors.relayDeliveryKeyQuota':
        'عدد كبير جدًا من رسائلك إلى هذا الشخص ينتظر على المُرحِّل. حاول لاحقًا.',
      'errors.relayTooManyDeliveryKeys':
        'وزّعت هذه الشخصية أكبر عدد من روابط الدعوة ومفاتيح الاتصال يسمح به المُرحِّل. أزل جهة اتصال قديمة أو دع رابطًا تنتهي صلاحيته.',
      'errors.relayBadRetention':
        'لا يقبل المُرحِّل مؤقّت الرسائل المختفية هذا (من 5 دقائق إلى 4 أسابيع).',
      'errors.relayNoPrekeys': 'لا يمكن الوصول إلى هذا الشخص الآن. حاول لاحقًا.',
      'errors.relayGroupFull': 'المجموعة ممتلئة.',
      'errors.relayTooManyGroups': 'هذه الشخصية في أكبر عدد من المجموعات يسمح به المُرحِّل.',
      'errors.relayGroupCapReached':
        'بلغت هذه المجموعة حدًا على هذا المُرحِّل (سجلها أو رسائلها المحذوفة أو دعواتها المفتوحة أو طلباتها المنتظرة).',
      'errors.relayGroupMessageTooLarge': 'هذه الرسالة أكبر من أن تُرسل إلى المجموعة.',
      'errors.relayInviteInvalid': 'لا يقبل هذا المُرحِّل القادمين الجدد إلا برمز دعوة صالح.',
      'errors.relayTooManyConnections': 'لدى المُرحِّل اتصالات كثيرة جدًا من هنا.',
      'errors.relayQuotaExceeded':
        'لقد استهلكت ما يسمح به المُرحِّل حاليًا (المجموعات المنشأة أو المساحة). حاول لاحقًا.',
      'errors.relayStorageFull': 'نفدت مساحة التخزين لدى المُرحِّل. حاول لاحقًا.',
      'errors.desktopInternal': 'حدث خطأ داخل Kindred. حاول مجددًا، وإن تكرر فأعد تشغيله.',
      'errors.relayRefused': 'رفض المُرحِّل هذا ({relayCode}).',
      'errors.named.coreInviteUsedUp': 'استُخدم هذا الرابط من قبل. اطلب من {name} رابطًا جديدًا.',
      'errors.named.coreInviteExpired': 'انتهت صلاحية هذا الرابط. اطلب من {name} رابطًا جديدًا.',
      'errors.unknown': 'حدث خطأ ما. حاول مجددًا من فضلك.',
      'errors.coreScheduleInvalid':
        'لا يمكن جدولة هذه الدردشة: تحقّق من البداية والمدة والتكرار وأوقات الأسئلة.',
      'errors.coreScheduleNotFound': 'هذه الدردشة المجدولة لم تعد في هذه المجموعة.',
      'errors.coreScheduleNotRunning': 'هذه الدردشة ليست جارية الآن، أو لم يُطرح سؤالها بعد.',
    },
  },
);
