import { areaCatalogue } from '../catalogue.std.js';

/** Settings → Back up, the restore from the first screen, and their progress bars. */
export const backupMessages = areaCatalogue(
  {
    'backup.title': 'Back up',
    'backup.intro':
      'A backup is one encrypted file holding everything in Kindred on this computer: every persona, contact, group and message, and the keys to them. With it you can carry on from a new computer if this one is lost.',
    'backup.needPassphrase': 'Enter your passphrase to make a backup.',
    'backup.notMade': 'No backup was made.',
    'backup.saving': 'Saving the backup',
    'backup.made': 'Backup made.',
    'backup.madeWriteKey': 'Backup made. Write down your recovery key now.',
    'backup.lockWith': 'Lock the backup with',
    'backup.withKey': 'A recovery key (recommended)',
    'backup.withKeyHint':
      'Kindred makes a new key of {characters} characters and shows it once. Write it on paper and keep it away from the file: nobody can open the backup without it, not even you.',
    'backup.withPassphrase': 'My passphrase',
    'backup.withPassphraseHint':
      'Nothing new to keep, but anyone who gets the file and knows or guesses your passphrase has everything, and a stolen file can be guessed at for as long as the thief likes. Choose this only with a long passphrase.',
    'backup.yourPassphrase': 'Your passphrase',
    'backup.yourPassphraseHint': 'Asked again so that an open window alone cannot copy everything.',
    'backup.writing': 'Writing the backup',
    'backup.making': 'Making the backup…',
    'backup.make': 'Make a backup',
    'backup.keyConfirmed': 'Recovery key confirmed. Your backup is ready.',
    'backup.holds': 'It holds {records, plural, one {# record} other {# records}} ({size}).',
    'backup.keepApart': 'Keep the file and the paper with your recovery key in different places.',
    'backup.opensWithPassphrase':
      'It opens with the passphrase you use now, even after you change it here.',
    'backup.another': 'Make another backup',
    'backup.restoreTitle': 'Restore',
    'backup.restoreHint':
      'Kindred restores a backup only into a new, empty home folder, never over the vault you use now. On a new computer, or after starting Kindred with a new home folder, choose “Restore from a backup” on its first screen.',
    'backup.savedAs': 'Backup saved as {file}.',
    'backup.savedAsDownload': 'Backup saved as {file} in your browser’s downloads folder.',
    'backup.yourKey': 'Your recovery key',
    'backup.keyNote':
      'This is the only time Kindred shows it: it is stored nowhere. Write it down now. Without it the backup cannot be opened; with it and the file, anyone can read everything.',
    'backup.copied': 'Copied',
    'backup.copyKey': 'Copy key',
    'backup.wroteIt': 'I wrote it down',
    'backup.copyFailed': 'Copying did not work here: write it down.',
    'backup.copiedNote':
      'A copied key stays on the clipboard: paste it somewhere safe, then copy something else.',
    'backup.groupWrong':
      'That does not match group {group} of your key. Look at what you wrote down, or show the key again.',
    'backup.groupsWrong':
      'That does not match group {first} and {second} of your key. Look at what you wrote down, or show the key again.',
    'backup.checkKey': 'Check your key',
    'backup.checkKeyHint':
      'Without looking at the screen, type two groups of four from what you wrote down. Groups are counted from the left, 1 to {groups}.',
    'backup.groupField': 'Group {group} of your key',
    'backup.showAgain': 'Show the key again',
    'backup.confirm': 'Confirm',
    'backup.progress': '{label}: {done}',
    'backup.progressOf': '{label}: {done} of {total} ({percent}%)',
    'restore.wrongRecoveryKey':
      'That recovery key does not open this backup: it is another backup’s key, or the file was changed. Check the key you wrote down for this file.',
    'restore.wrongPassphrase':
      'That passphrase does not open this backup. It needs the passphrase Kindred had when the backup was made.',
    'restore.badCharacter':
      '“{character}” is in no recovery key: they hold the digits 0–9 and the letters A–Z without U.',
    'restore.typed': '{typed} of {total} characters.',
    'restore.reading': 'Reading the backup file',
    'restore.chooseFirst': 'Choose the backup file first.',
    'restore.enterKey': 'Enter the recovery key you wrote down.',
    'restore.enterPassphrase': 'Enter the passphrase the backup was made with.',
    'restore.title': 'Restore from a backup',
    'restore.lead':
      'Bring everything from your backup to this computer: every persona, contact, group and message. You need the backup file and the recovery key you wrote down (or, for a backup locked with your passphrase, that passphrase).',
    'restore.file': 'Backup file',
    'restore.fileHint':
      'The file Kindred saved when you backed up, such as kindred-2026-12-07.backup.',
    'restore.fileWithKey': '{name}: a Kindred backup locked with a recovery key.',
    'restore.fileWithPassphrase': '{name}: a Kindred backup locked with a passphrase.',
    'restore.key': 'Recovery key',
    'restore.keyGood': 'The key is complete and its checksum matches.',
    'restore.backupPassphrase': 'The backup’s passphrase',
    'restore.backupPassphraseHint': 'The passphrase Kindred had when the backup was made.',
    'restore.newPassphrase': 'Passphrase for this computer',
    'restore.restoring': 'Restoring',
    'restore.restoringNow': 'Restoring…',
    'restore.restore': 'Restore',
    'restore.someoneNew': 'Set up as someone new instead',
  },
  {
    es: {
      'backup.title': 'Copia de seguridad',
      'backup.intro':
        'Una copia de seguridad es un único archivo cifrado con todo lo que Kindred tiene en este ordenador: cada persona, contacto, grupo y mensaje, y sus claves. Con ella puedes seguir desde un ordenador nuevo si pierdes este.',
      'backup.needPassphrase': 'Escribe tu frase de contraseña para hacer una copia.',
      'backup.notMade': 'No se hizo ninguna copia.',
      'backup.saving': 'Guardando la copia',
      'backup.made': 'Copia hecha.',
      'backup.madeWriteKey': 'Copia hecha. Apunta ahora tu clave de recuperación.',
      'backup.lockWith': 'Proteger la copia con',
      'backup.withKey': 'Una clave de recuperación (recomendado)',
      'backup.withKeyHint':
        'Kindred crea una clave nueva de {characters} caracteres y la muestra una sola vez. Escríbela en papel y guárdala lejos del archivo: nadie puede abrir la copia sin ella, ni siquiera tú.',
      'backup.withPassphrase': 'Mi frase de contraseña',
      'backup.withPassphraseHint':
        'No hay nada nuevo que guardar, pero quien consiga el archivo y conozca o adivine tu frase de contraseña lo tiene todo, y un archivo robado puede atacarse durante todo el tiempo que el ladrón quiera. Elige esto solo con una frase larga.',
      'backup.yourPassphrase': 'Tu frase de contraseña',
      'backup.yourPassphraseHint':
        'Se pide otra vez para que una ventana abierta no baste para copiarlo todo.',
      'backup.writing': 'Escribiendo la copia',
      'backup.making': 'Haciendo la copia…',
      'backup.make': 'Hacer una copia',
      'backup.keyConfirmed': 'Clave de recuperación confirmada. Tu copia está lista.',
      'backup.holds': 'Contiene {records, plural, one {# registro} other {# registros}} ({size}).',
      'backup.keepApart':
        'Guarda el archivo y el papel con tu clave de recuperación en sitios distintos.',
      'backup.opensWithPassphrase':
        'Se abre con la frase de contraseña que usas ahora, aunque la cambies aquí después.',
      'backup.another': 'Hacer otra copia',
      'backup.restoreTitle': 'Restaurar',
      'backup.restoreHint':
        'Kindred solo restaura una copia en una carpeta personal nueva y vacía, nunca sobre la bóveda que usas ahora. En un ordenador nuevo, o tras abrir Kindred con una carpeta nueva, elige «Restaurar desde una copia» en su primera pantalla.',
      'backup.savedAs': 'Copia guardada como {file}.',
      'backup.savedAsDownload':
        'Copia guardada como {file} en la carpeta de descargas del navegador.',
      'backup.yourKey': 'Tu clave de recuperación',
      'backup.keyNote':
        'Es la única vez que Kindred la muestra: no se guarda en ningún sitio. Apúntala ahora. Sin ella la copia no se puede abrir; con ella y el archivo, cualquiera puede leerlo todo.',
      'backup.copied': 'Copiada',
      'backup.copyKey': 'Copiar clave',
      'backup.wroteIt': 'Ya la apunté',
      'backup.copyFailed': 'Aquí no se pudo copiar: apúntala.',
      'backup.copiedNote':
        'Una clave copiada se queda en el portapapeles: pégala en un lugar seguro y luego copia otra cosa.',
      'backup.groupWrong':
        'Eso no coincide con el grupo {group} de tu clave. Mira lo que apuntaste o vuelve a mostrar la clave.',
      'backup.groupsWrong':
        'Eso no coincide con los grupos {first} y {second} de tu clave. Mira lo que apuntaste o vuelve a mostrar la clave.',
      'backup.checkKey': 'Comprueba tu clave',
      'backup.checkKeyHint':
        'Sin mirar la pantalla, escribe dos grupos de cuatro de lo que apuntaste. Los grupos se cuentan desde la izquierda, del 1 al {groups}.',
      'backup.groupField': 'Grupo {group} de tu clave',
      'backup.showAgain': 'Mostrar la clave otra vez',
      'backup.confirm': 'Confirmar',
      'backup.progress': '{label}: {done}',
      'backup.progressOf': '{label}: {done} de {total} ({percent} %)',
      'restore.wrongRecoveryKey':
        'Esa clave de recuperación no abre esta copia: es la clave de otra copia o el archivo cambió. Revisa la clave que apuntaste para este archivo.',
      'restore.wrongPassphrase':
        'Esa frase de contraseña no abre esta copia. Necesita la frase que Kindred tenía cuando se hizo la copia.',
      'restore.badCharacter':
        '«{character}» no aparece en ninguna clave de recuperación: contienen los dígitos 0–9 y las letras A–Z sin la U.',
      'restore.typed': '{typed} de {total} caracteres.',
      'restore.reading': 'Leyendo el archivo de la copia',
      'restore.chooseFirst': 'Primero elige el archivo de la copia.',
      'restore.enterKey': 'Escribe la clave de recuperación que apuntaste.',
      'restore.enterPassphrase': 'Escribe la frase de contraseña con la que se hizo la copia.',
      'restore.title': 'Restaurar desde una copia',
      'restore.lead':
        'Trae a este ordenador todo lo que hay en tu copia: cada persona, contacto, grupo y mensaje. Necesitas el archivo de la copia y la clave de recuperación que apuntaste (o, para una copia protegida con tu frase de contraseña, esa frase).',
      'restore.file': 'Archivo de la copia',
      'restore.fileHint':
        'El archivo que Kindred guardó al hacer la copia, como kindred-2026-12-07.backup.',
      'restore.fileWithKey':
        '{name}: una copia de Kindred protegida con una clave de recuperación.',
      'restore.fileWithPassphrase':
        '{name}: una copia de Kindred protegida con una frase de contraseña.',
      'restore.key': 'Clave de recuperación',
      'restore.keyGood': 'La clave está completa y su suma de control coincide.',
      'restore.backupPassphrase': 'La frase de contraseña de la copia',
      'restore.backupPassphraseHint': 'La frase que Kindred tenía cuando se hizo la copia.',
      'restore.newPassphrase': 'Frase de contraseña para este ordenador',
      'restore.restoring': 'Restaurando',
      'restore.restoringNow': 'Restaurando…',
      'restore.restore': 'Restaurar',
      'restore.someoneNew': 'Empezar como alguien nuevo',
    },
    fr: {
      'backup.title': 'Sauvegarde',
      'backup.intro':
        'Une sauvegarde est un seul fichier chiffré qui contient tout ce que Kindred garde sur cet ordinateur : chaque persona, contact, groupe et message, et leurs clés. Avec elle, vous pouvez continuer sur un nouvel ordinateur si celui-ci est perdu.',
      'backup.needPassphrase': 'Saisissez votre phrase secrète pour faire une sauvegarde.',
      'backup.notMade': 'Aucune sauvegarde n’a été faite.',
      'backup.saving': 'Enregistrement de la sauvegarde',
      'backup.made': 'Sauvegarde faite.',
      'backup.madeWriteKey': 'Sauvegarde faite. Notez maintenant votre clé de récupération.',
      'backup.lockWith': 'Protéger la sauvegarde avec',
      'backup.withKey': 'Une clé de récupération (recommandé)',
      'backup.withKeyHint':
        'Kindred crée une nouvelle clé de {characters} caractères et ne l’affiche qu’une fois. Écrivez-la sur papier et gardez-la loin du fichier : personne ne peut ouvrir la sauvegarde sans elle, pas même vous.',
      'backup.withPassphrase': 'Ma phrase secrète',
      'backup.withPassphraseHint':
        'Rien de nouveau à garder, mais quiconque obtient le fichier et connaît ou devine votre phrase secrète a tout, et un fichier volé peut être attaqué aussi longtemps que le voleur le veut. Ne choisissez ceci qu’avec une longue phrase secrète.',
      'backup.yourPassphrase': 'Votre phrase secrète',
      'backup.yourPassphraseHint':
        'Demandée à nouveau pour qu’une fenêtre ouverte ne suffise pas à tout copier.',
      'backup.writing': 'Écriture de la sauvegarde',
      'backup.making': 'Sauvegarde en cours…',
      'backup.make': 'Faire une sauvegarde',
      'backup.keyConfirmed': 'Clé de récupération confirmée. Votre sauvegarde est prête.',
      'backup.holds':
        'Elle contient {records, plural, one {# enregistrement} other {# enregistrements}} ({size}).',
      'backup.keepApart':
        'Gardez le fichier et le papier portant votre clé de récupération à des endroits différents.',
      'backup.opensWithPassphrase':
        'Elle s’ouvre avec la phrase secrète que vous utilisez maintenant, même si vous la changez ici ensuite.',
      'backup.another': 'Faire une autre sauvegarde',
      'backup.restoreTitle': 'Restaurer',
      'backup.restoreHint':
        'Kindred ne restaure une sauvegarde que dans un nouveau dossier personnel vide, jamais par-dessus le coffre que vous utilisez. Sur un nouvel ordinateur, ou après avoir lancé Kindred avec un nouveau dossier, choisissez « Restaurer une sauvegarde » sur son premier écran.',
      'backup.savedAs': 'Sauvegarde enregistrée sous {file}.',
      'backup.savedAsDownload':
        'Sauvegarde enregistrée sous {file} dans le dossier de téléchargements de votre navigateur.',
      'backup.yourKey': 'Votre clé de récupération',
      'backup.keyNote':
        'C’est la seule fois que Kindred l’affiche : elle n’est conservée nulle part. Notez-la maintenant. Sans elle, la sauvegarde ne peut pas être ouverte ; avec elle et le fichier, n’importe qui peut tout lire.',
      'backup.copied': 'Copiée',
      'backup.copyKey': 'Copier la clé',
      'backup.wroteIt': 'Je l’ai notée',
      'backup.copyFailed': 'La copie n’a pas fonctionné ici : notez-la.',
      'backup.copiedNote':
        'Une clé copiée reste dans le presse-papiers : collez-la en lieu sûr, puis copiez autre chose.',
      'backup.groupWrong':
        'Cela ne correspond pas au groupe {group} de votre clé. Regardez ce que vous avez noté, ou affichez de nouveau la clé.',
      'backup.groupsWrong':
        'Cela ne correspond pas aux groupes {first} et {second} de votre clé. Regardez ce que vous avez noté, ou affichez de nouveau la clé.',
      'backup.checkKey': 'Vérifiez votre clé',
      'backup.checkKeyHint':
        'Sans regarder l’écran, tapez deux groupes de quatre d’après ce que vous avez noté. Les groupes sont comptés depuis la gauche, de 1 à {groups}.',
      'backup.groupField': 'Groupe {group} de votre clé',
      'backup.showAgain': 'Afficher de nouveau la clé',
      'backup.confirm': 'Confirmer',
      'backup.progress': '{label} : {done}',
      'backup.progressOf': '{label} : {done} sur {total} ({percent} %)',
      'restore.wrongRecoveryKey':
        'Cette clé de récupération n’ouvre pas cette sauvegarde : c’est la clé d’une autre sauvegarde, ou le fichier a été modifié. Vérifiez la clé notée pour ce fichier.',
      'restore.wrongPassphrase':
        'Cette phrase secrète n’ouvre pas cette sauvegarde. Il faut la phrase secrète que Kindred avait quand la sauvegarde a été faite.',
      'restore.badCharacter':
        '« {character} » ne figure dans aucune clé de récupération : elles contiennent les chiffres 0–9 et les lettres A–Z sauf U.',
      'restore.typed': '{typed} caractères sur {total}.',
      'restore.reading': 'Lecture du fichier de sauvegarde',
      'restore.chooseFirst': 'Choisissez d’abord le fichier de sauvegarde.',
      'restore.enterKey': 'Saisissez la clé de récupération que vous avez notée.',
      'restore.enterPassphrase': 'Saisissez la phrase secrète de la sauvegarde.',
      'restore.title': 'Restaurer une sauvegarde',
      'restore.lead':
        'Rapatriez tout le contenu de votre sauvegarde sur cet ordinateur : chaque persona, contact, groupe et message. Il vous faut le fichier de sauvegarde et la clé de récupération notée (ou, pour une sauvegarde protégée par votre phrase secrète, cette phrase).',
      'restore.file': 'Fichier de sauvegarde',
      'restore.fileHint':
        'Le fichier que Kindred a enregistré lors de la sauvegarde, par exemple kindred-2026-12-07.backup.',
      'restore.fileWithKey':
        '{name} : une sauvegarde Kindred protégée par une clé de récupération.',
      'restore.fileWithPassphrase':
        '{name} : une sauvegarde Kindred protégée par une phrase secrète.',
      'restore.key': 'Clé de récupération',
      'restore.keyGood': 'La clé est complète et sa somme de contrôle correspond.',
      'restore.backupPassphrase': 'La phrase secrète de la sauvegarde',
      'restore.backupPassphraseHint':
        'La phrase secrète que Kindred avait quand la sauvegarde a été faite.',
      'restore.newPassphrase': 'Phrase secrète pour cet ordinateur',
      'restore.restoring': 'Restauration',
      'restore.restoringNow': 'Restauration…',
      'restore.restore': 'Restaurer',
      'restore.someoneNew': 'Commencer plutôt comme quelqu’un de nouveau',
    },
    de: {
      'backup.title': 'Sichern',
      'backup.intro':
        'Eine Sicherung ist eine einzige verschlüsselte Datei mit allem, was Kindred auf diesem Computer hat: jede Persona, jeder Kontakt, jede Gruppe und Nachricht und die Schlüssel dazu. Damit kannst du auf einem neuen Computer weitermachen, wenn dieser verloren geht.',
      'backup.needPassphrase': 'Gib deine Passphrase ein, um eine Sicherung zu erstellen.',
      'backup.notMade': 'Es wurde keine Sicherung erstellt.',
      'backup.saving': 'Sicherung wird gespeichert',
      'backup.made': 'Sicherung erstellt.',
      'backup.madeWriteKey':
        'Sicherung erstellt. Schreib jetzt deinen Wiederherstellungsschlüssel auf.',
      'backup.lockWith': 'Sicherung schützen mit',
      'backup.withKey': 'Einem Wiederherstellungsschlüssel (empfohlen)',
      'backup.withKeyHint':
        'Kindred erzeugt einen neuen Schlüssel aus {characters} Zeichen und zeigt ihn einmal. Schreib ihn auf Papier und bewahre ihn getrennt von der Datei auf: Ohne ihn kann niemand die Sicherung öffnen, auch du nicht.',
      'backup.withPassphrase': 'Meiner Passphrase',
      'backup.withPassphraseHint':
        'Nichts Neues aufzubewahren, aber wer die Datei bekommt und deine Passphrase kennt oder errät, hat alles, und eine gestohlene Datei kann so lange angegriffen werden, wie der Dieb will. Wähle das nur mit einer langen Passphrase.',
      'backup.yourPassphrase': 'Deine Passphrase',
      'backup.yourPassphraseHint':
        'Noch einmal abgefragt, damit ein offenes Fenster allein nicht alles kopieren kann.',
      'backup.writing': 'Sicherung wird geschrieben',
      'backup.making': 'Sicherung wird erstellt…',
      'backup.make': 'Sicherung erstellen',
      'backup.keyConfirmed': 'Wiederherstellungsschlüssel bestätigt. Deine Sicherung ist fertig.',
      'backup.holds': 'Sie enthält {records, plural, one {# Eintrag} other {# Einträge}} ({size}).',
      'backup.keepApart':
        'Bewahre die Datei und das Papier mit deinem Wiederherstellungsschlüssel an verschiedenen Orten auf.',
      'backup.opensWithPassphrase':
        'Sie öffnet sich mit der Passphrase, die du jetzt verwendest, auch wenn du sie hier später änderst.',
      'backup.another': 'Noch eine Sicherung erstellen',
      'backup.restoreTitle': 'Wiederherstellen',
      'backup.restoreHint':
        'Kindred stellt eine Sicherung nur in einem neuen, leeren Ordner wieder her, nie über dem Tresor, den du jetzt nutzt. Wähle auf einem neuen Computer, oder nachdem du Kindred mit einem neuen Ordner gestartet hast, auf dem ersten Bildschirm „Aus einer Sicherung wiederherstellen“.',
      'backup.savedAs': 'Sicherung gespeichert als {file}.',
      'backup.savedAsDownload':
        'Sicherung gespeichert als {file} im Download-Ordner deines Browsers.',
      'backup.yourKey': 'Dein Wiederherstellungsschlüssel',
      'backup.keyNote':
        'Nur jetzt zeigt Kindred ihn: Er wird nirgends gespeichert. Schreib ihn jetzt auf. Ohne ihn lässt sich die Sicherung nicht öffnen; mit ihm und der Datei kann jeder alles lesen.',
      'backup.copied': 'Kopiert',
      'backup.copyKey': 'Schlüssel kopieren',
      'backup.wroteIt': 'Ich habe ihn aufgeschrieben',
      'backup.copyFailed': 'Kopieren hat hier nicht geklappt: Schreib ihn auf.',
      'backup.copiedNote':
        'Ein kopierter Schlüssel bleibt in der Zwischenablage: Füge ihn an einem sicheren Ort ein und kopiere dann etwas anderes.',
      'backup.groupWrong':
        'Das passt nicht zu Gruppe {group} deines Schlüssels. Sieh nach, was du aufgeschrieben hast, oder lass dir den Schlüssel noch einmal zeigen.',
      'backup.groupsWrong':
        'Das passt nicht zu den Gruppen {first} und {second} deines Schlüssels. Sieh nach, was du aufgeschrieben hast, oder lass dir den Schlüssel noch einmal zeigen.',
      'backup.checkKey': 'Schlüssel prüfen',
      'backup.checkKeyHint':
        'Tippe, ohne auf den Bildschirm zu sehen, zwei Vierergruppen von deinem Zettel ab. Die Gruppen werden von links gezählt, 1 bis {groups}.',
      'backup.groupField': 'Gruppe {group} deines Schlüssels',
      'backup.showAgain': 'Schlüssel noch einmal zeigen',
      'backup.confirm': 'Bestätigen',
      'backup.progress': '{label}: {done}',
      'backup.progressOf': '{label}: {done} von {total} ({percent} %)',
      'restore.wrongRecoveryKey':
        'Dieser Wiederherstellungsschlüssel öffnet diese Sicherung nicht: Er gehört zu einer anderen Sicherung, oder die Datei wurde verändert. Prüfe den Schlüssel, den du für diese Datei aufgeschrieben hast.',
      'restore.wrongPassphrase':
        'Diese Passphrase öffnet diese Sicherung nicht. Sie braucht die Passphrase, die Kindred beim Erstellen der Sicherung hatte.',
      'restore.badCharacter':
        '„{character}“ kommt in keinem Wiederherstellungsschlüssel vor: Sie bestehen aus den Ziffern 0–9 und den Buchstaben A–Z ohne U.',
      'restore.typed': '{typed} von {total} Zeichen.',
      'restore.reading': 'Sicherungsdatei wird gelesen',
      'restore.chooseFirst': 'Wähle zuerst die Sicherungsdatei.',
      'restore.enterKey': 'Gib den Wiederherstellungsschlüssel ein, den du aufgeschrieben hast.',
      'restore.enterPassphrase': 'Gib die Passphrase ein, mit der die Sicherung erstellt wurde.',
      'restore.title': 'Aus einer Sicherung wiederherstellen',
      'restore.lead':
        'Hol alles aus deiner Sicherung auf diesen Computer: jede Persona, jeden Kontakt, jede Gruppe und Nachricht. Du brauchst die Sicherungsdatei und den aufgeschriebenen Wiederherstellungsschlüssel (oder, bei einer mit deiner Passphrase geschützten Sicherung, diese Passphrase).',
      'restore.file': 'Sicherungsdatei',
      'restore.fileHint':
        'Die Datei, die Kindred beim Sichern gespeichert hat, etwa kindred-2026-12-07.backup.',
      'restore.fileWithKey':
        '{name}: eine Kindred-Sicherung, geschützt mit einem Wiederherstellungsschlüssel.',
      'restore.fileWithPassphrase':
        '{name}: eine Kindred-Sicherung, geschützt mit einer Passphrase.',
      'restore.key': 'Wiederherstellungsschlüssel',
      'restore.keyGood': 'Der Schlüssel ist vollständig und seine Prüfsumme stimmt.',
      'restore.backupPassphrase': 'Die Passphrase der Sicherung',
      'restore.backupPassphraseHint':
        'Die Passphrase, die Kindred beim Erstellen der Sicherung hatte.',
      'restore.newPassphrase': 'Passphrase für diesen Computer',
      'restore.restoring': 'Wiederherstellung',
      'restore.restoringNow': 'Wird wiederhergestellt…',
      'restore.restore': 'Wiederherstellen',
      'restore.someoneNew': 'Stattdessen als neue Person beginnen',
    },
    ar: {
      'backup.title': 'النسخ الاحتياطي',
      'backup.intro':
        'النسخة الاحتياطية ملف واحد مشفّر يحوي كل ما في Kindred على هذا الحاسوب: كل شخصية وجهة اتصال ومجموعة ورسالة، ومفاتيحها. بها تستطيع المتابعة من حاسوب جديد إن فُقد هذا.',
      'backup.needPassphrase': 'أدخل عبارة المرور لعمل نسخة احتياطية.',
      'backup.notMade': 'لم تُعمل أي نسخة احتياطية.',
      'backup.saving': 'جارٍ حفظ النسخة الاحتياطية',
      'backup.made': 'عُملت النسخة الاحتياطية.',
      'backup.madeWriteKey': 'عُملت النسخة الاحتياطية. اكتب مفتاح الاسترداد الآن.',
      'backup.lockWith': 'احمِ النسخة الاحتياطية بـ',
      'backup.withKey': 'مفتاح استرداد (يُنصح به)',
      'backup.withKeyHint':
        'ينشئ Kindred مفتاحًا جديدًا من {characters} حرفًا ويعرضه مرة واحدة. اكتبه على ورق واحفظه بعيدًا عن الملف: لا يستطيع أحد فتح النسخة الاحتياطية من دونه، ولا حتى أنت.',
      'backup.withPassphrase': 'عبارة المرور الخاصة بي',
      'backup.withPassphraseHint':
        'لا شيء جديد لتحفظه، لكن من يحصل على الملف ويعرف عبارة مرورك أو يخمّنها يملك كل شيء، ويمكن محاولة تخمين ملف مسروق ما شاء السارق. اختر هذا فقط مع عبارة مرور طويلة.',
      'backup.yourPassphrase': 'عبارة المرور',
      'backup.yourPassphraseHint': 'تُطلب مرة أخرى كي لا تكفي نافذة مفتوحة وحدها لنسخ كل شيء.',
      'backup.writing': 'جارٍ كتابة النسخة الاحتياطية',
      'backup.making': 'جارٍ عمل النسخة الاحتياطية…',
      'backup.make': 'اعمل نسخة احتياطية',
      'backup.keyConfirmed': 'تأكّد مفتاح الاسترداد. نسختك الاحتياطية جاهزة.',
      'backup.holds':
        'تحوي {records, plural, zero {# سجل} one {سجلًا واحدًا} two {سجلين} few {# سجلات} many {# سجلًا} other {# سجل}} ({size}).',
      'backup.keepApart': 'احفظ الملف والورقة التي عليها مفتاح الاسترداد في مكانين مختلفين.',
      'backup.opensWithPassphrase':
        'تُفتح بعبارة المرور التي تستخدمها الآن، حتى لو غيّرتها هنا لاحقًا.',
      'backup.another': 'اعمل نسخة احتياطية أخرى',
      'backup.restoreTitle': 'الاستعادة',
      'backup.restoreHint':
        'لا يستعيد Kindred نسخة احتياطية إلا في مجلد جديد فارغ، ولا يكتب أبدًا فوق الخزنة التي تستخدمها الآن. على حاسوب جديد، أو بعد تشغيل Kindred بمجلد جديد، اختر «الاستعادة من نسخة احتياطية» في شاشته الأولى.',
      'backup.savedAs': 'حُفظت النسخة الاحتياطية باسم {file}.',
      'backup.savedAsDownload': 'حُفظت النسخة الاحتياطية باسم {file} في مجلد التنزيلات في متصفحك.',
      'backup.yourKey': 'مفتاح الاسترداد',
      'backup.keyNote':
        'هذه المرة الوحيدة التي يعرضه فيها Kindred: لا يُحفظ في أي مكان. اكتبه الآن. من دونه لا يمكن فتح النسخة الاحتياطية؛ ومعه ومع الملف يستطيع أي أحد قراءة كل شيء.',
      'backup.copied': 'نُسخ',
      'backup.copyKey': 'انسخ المفتاح',
      'backup.wroteIt': 'كتبته',
      'backup.copyFailed': 'لم ينجح النسخ هنا: اكتبه.',
      'backup.copiedNote': 'يبقى المفتاح المنسوخ في الحافظة: الصقه في مكان آمن، ثم انسخ شيئًا آخر.',
      'backup.groupWrong':
        'هذا لا يطابق المجموعة {group} من مفتاحك. راجع ما كتبته، أو اعرض المفتاح مرة أخرى.',
      'backup.groupsWrong':
        'هذا لا يطابق المجموعتين {first} و{second} من مفتاحك. راجع ما كتبته، أو اعرض المفتاح مرة أخرى.',
      'backup.checkKey': 'تحقّق من مفتاحك',
      'backup.checkKeyHint':
        'من دون النظر إلى الشاشة، اكتب مجموعتين من أربعة أحرف مما كتبته. تُعدّ المجموعات من اليسار، من 1 إلى {groups}.',
      'backup.groupField': 'المجموعة {group} من مفتاحك',
      'backup.showAgain': 'اعرض المفتاح مرة أخرى',
      'backup.confirm': 'تأكيد',
      'backup.progress': '{label}: {done}',
      'backup.progressOf': '{label}: {done} من {total} ({percent}٪)',
      'restore.wrongRecoveryKey':
        'مفتاح الاسترداد هذا لا يفتح هذه النسخة الاحتياطية: إنه مفتاح نسخة أخرى، أو أن الملف تغيّر. راجع المفتاح الذي كتبته لهذا الملف.',
      'restore.wrongPassphrase':
        'عبارة المرور هذه لا تفتح هذه النسخة الاحتياطية. تحتاج إلى عبارة المرور التي كانت لدى Kindred عند عمل النسخة.',
      'restore.badCharacter':
        '«{character}» ليس في أي مفتاح استرداد: تحوي المفاتيح الأرقام 0–9 والحروف A–Z من دون U.',
      'restore.typed': '{typed} من {total} حرفًا.',
      'restore.reading': 'جارٍ قراءة ملف النسخة الاحتياطية',
      'restore.chooseFirst': 'اختر ملف النسخة الاحتياطية أولًا.',
      'restore.enterKey': 'أدخل مفتاح الاسترداد الذي كتبته.',
      'restore.enterPassphrase': 'أدخل عبارة المرور التي عُملت بها النسخة الاحتياطية.',
      'restore.title': 'الاستعادة من نسخة احتياطية',
      'restore.lead':
        'انقل كل ما في نسختك الاحتياطية إلى هذا الحاسوب: كل شخصية وجهة اتصال ومجموعة ورسالة. تحتاج إلى ملف النسخة الاحتياطية ومفتاح الاسترداد الذي كتبته (أو، لنسخة محمية بعبارة مرورك، تلك العبارة).',
      'restore.file': 'ملف النسخة الاحتياطية',
      'restore.fileHint':
        'الملف الذي حفظه Kindred عند النسخ الاحتياطي، مثل kindred-2026-12-07.backup.',
      'restore.fileWithKey': '{name}: نسخة احتياطية من Kindred محمية بمفتاح استرداد.',
      'restore.fileWithPassphrase': '{name}: نسخة احتياطية من Kindred محمية بعبارة مرور.',
      'restore.key': 'مفتاح الاسترداد',
      'restore.keyGood': 'المفتاح كامل ومجموع التحقق فيه مطابق.',
      'restore.backupPassphrase': 'عبارة مرور النسخة الاحتياطية',
      'restore.backupPassphraseHint': 'عبارة المرور التي كانت لدى Kindred عند عمل النسخة.',
      'restore.newPassphrase': 'عبارة مرور لهذا الحاسوب',
      'restore.restoring': 'الاستعادة',
      'restore.restoringNow': 'جارٍ الاستعادة…',
      'restore.restore': 'استعادة',
      'restore.someoneNew': 'ابدأ بدلًا من ذلك كشخص جديد',
    },
  },
);
