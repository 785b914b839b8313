import { areaCatalogue } from '../catalogue.std.js';

/** The screens before the vault is open: first run and unlock. */
export const onboardingMessages = areaCatalogue(
  {
    'onboarding.pseudonymMissing': 'Choose a pseudonym: the name others will see.',
    'onboarding.relayMissing': 'Enter the relay address.',
    'onboarding.welcomeTitle': 'Welcome to Kindred',
    'onboarding.welcomeLead':
      'A quiet place to talk with people who understand. Nobody here needs your real name: you choose a pseudonym, and everything you write is encrypted on this device.',
    'onboarding.setUpForm': 'Set up Kindred',
    'onboarding.pseudonym': 'Pseudonym',
    'onboarding.pseudonymHint':
      'The name others see. Avoid your real name or anything that could identify you.',
    'onboarding.passphrase': 'Passphrase',
    'onboarding.relayAddress': 'Relay address',
    'onboarding.relayHint':
      'The relay carries your encrypted messages. It cannot read them. Keep the address your community gave you.',
    'onboarding.checkingStrength':
      'Checking how strong the passphrase is; Kindred goes on by itself.',
    'onboarding.settingUp': 'Setting up…',
    'onboarding.getStarted': 'Get started',
    'onboarding.usedBefore': 'Used Kindred before, on a computer you no longer have?',
    'onboarding.restore': 'Restore from a backup',
    'onboarding.unlockTitle': 'Unlock Kindred',
    'onboarding.unlockLead':
      'Your messages are locked on this device. Enter your passphrase to open them.',
    'onboarding.unlocking': 'Unlocking…',
    'onboarding.unlock': 'Unlock',
  },
  {
    es: {
      'onboarding.pseudonymMissing': 'Elige un seudónimo: el nombre que verán los demás.',
      'onboarding.relayMissing': 'Escribe la dirección del relé.',
      'onboarding.welcomeTitle': 'Te damos la bienvenida a Kindred',
      'onboarding.welcomeLead':
        'Un lugar tranquilo para hablar con personas que te entienden. Aquí nadie necesita tu nombre real: eliges un seudónimo, y todo lo que escribes se cifra en este dispositivo.',
      'onboarding.setUpForm': 'Configurar Kindred',
      'onboarding.pseudonym': 'Seudónimo',
      'onboarding.pseudonymHint':
        'El nombre que ven los demás. Evita tu nombre real o cualquier cosa que pueda identificarte.',
      'onboarding.passphrase': 'Frase de contraseña',
      'onboarding.relayAddress': 'Dirección del relé',
      'onboarding.relayHint':
        'El relé transporta tus mensajes cifrados. No puede leerlos. Conserva la dirección que te dio tu comunidad.',
      'onboarding.checkingStrength':
        'Comprobando la fortaleza de la frase de contraseña; Kindred seguirá por sí solo.',
      'onboarding.settingUp': 'Configurando…',
      'onboarding.getStarted': 'Empezar',
      'onboarding.usedBefore': '¿Usaste Kindred antes, en un ordenador que ya no tienes?',
      'onboarding.restore': 'Restaurar desde una copia de seguridad',
      'onboarding.unlockTitle': 'Desbloquear Kindred',
      'onboarding.unlockLead':
        'Tus mensajes están bloqueados en este dispositivo. Escribe tu frase de contraseña para abrirlos.',
      'onboarding.unlocking': 'Desbloqueando…',
      'onboarding.unlock': 'Desbloquear',
    },
    fr: {
      'onboarding.pseudonymMissing': 'Choisissez un pseudonyme : le nom que les autres verront.',
      'onboarding.relayMissing': 'Saisissez l’adresse du relais.',
      'onboarding.welcomeTitle': 'Bienvenue sur Kindred',
      'onboarding.welcomeLead':
        'Un endroit calme pour parler avec des personnes qui comprennent. Personne ici n’a besoin de votre vrai nom : vous choisissez un pseudonyme, et tout ce que vous écrivez est chiffré sur cet appareil.',
      'onboarding.setUpForm': 'Configurer Kindred',
      'onboarding.pseudonym': 'Pseudonyme',
      'onboarding.pseudonymHint':
        'Le nom que les autres voient. Évitez votre vrai nom ou tout ce qui pourrait vous identifier.',
      'onboarding.passphrase': 'Phrase secrète',
      'onboarding.relayAddress': 'Adresse du relais',
      'onboarding.relayHint':
        'Le relais transporte vos messages chiffrés. Il ne peut pas les lire. Gardez l’adresse que votre communauté vous a donnée.',
      'onboarding.checkingStrength':
        'Vérification de la solidité de la phrase secrète ; Kindred continuera tout seul.',
      'onboarding.settingUp': 'Configuration…',
      'onboarding.getStarted': 'Commencer',
      'onboarding.usedBefore':
        'Vous avez déjà utilisé Kindred, sur un ordinateur que vous n’avez plus ?',
      'onboarding.restore': 'Restaurer depuis une sauvegarde',
      'onboarding.unlockTitle': 'Déverrouiller Kindred',
      'onboarding.unlockLead':
        'Vos messages sont verrouillés sur cet appareil. Saisissez votre phrase secrète pour les ouvrir.',
      'onboarding.unlocking': 'Déverrouillage…',
      'onboarding.unlock': 'Déverrouiller',
    },
    de: {
      'onboarding.pseudonymMissing': 'Wähle ein Pseudonym: den Namen, den andere sehen.',
      'onboarding.relayMissing': 'Gib die Adresse des Relays ein.',
      'onboarding.welcomeTitle': 'Willkommen bei Kindred',
      'onboarding.welcomeLead':
        'Ein ruhiger Ort, um mit Menschen zu sprechen, die dich verstehen. Niemand hier braucht deinen echten Namen: Du wählst ein Pseudonym, und alles, was du schreibst, wird auf diesem Gerät verschlüsselt.',
      'onboarding.setUpForm': 'Kindred einrichten',
      'onboarding.pseudonym': 'Pseudonym',
      'onboarding.pseudonymHint':
        'Der Name, den andere sehen. Vermeide deinen echten Namen und alles, was dich erkennbar machen könnte.',
      'onboarding.passphrase': 'Passphrase',
      'onboarding.relayAddress': 'Relay-Adresse',
      'onboarding.relayHint':
        'Das Relay überträgt deine verschlüsselten Nachrichten. Es kann sie nicht lesen. Behalte die Adresse, die deine Gemeinschaft dir gegeben hat.',
      'onboarding.checkingStrength':
        'Die Stärke der Passphrase wird geprüft; Kindred macht von selbst weiter.',
      'onboarding.settingUp': 'Wird eingerichtet…',
      'onboarding.getStarted': 'Los geht’s',
      'onboarding.usedBefore':
        'Hast du Kindred schon auf einem Computer benutzt, den du nicht mehr hast?',
      'onboarding.restore': 'Aus einer Sicherung wiederherstellen',
      'onboarding.unlockTitle': 'Kindred entsperren',
      'onboarding.unlockLead':
        'Deine Nachrichten sind auf diesem Gerät gesperrt. Gib deine Passphrase ein, um sie zu öffnen.',
      'onboarding.unlocking': 'Wird entsperrt…',
      'onboarding.unlock': 'Entsperren',
    },
    ar: {
      'onboarding.pseudonymMissing': 'اختر اسمًا مستعارًا: الاسم الذي سيراه الآخرون.',
      'onboarding.relayMissing': 'أدخل عنوان المُرحِّل.',
      'onboarding.welcomeTitle': 'مرحبًا بك في Kindred',
      'onboarding.welcomeLead':
        'مكان هادئ للحديث مع أناس يفهمونك. لا أحد هنا يحتاج إلى اسمك الحقيقي: تختار اسمًا مستعارًا، وكل ما تكتبه يُشفَّر على هذا الجهاز.',
      'onboarding.setUpForm': 'إعداد Kindred',
      'onboarding.pseudonym': 'الاسم المستعار',
      'onboarding.pseudonymHint':
        'الاسم الذي يراه الآخرون. تجنّب اسمك الحقيقي أو أي شيء قد يكشف هويتك.',
      'onboarding.passphrase': 'عبارة المرور',
      'onboarding.relayAddress': 'عنوان المُرحِّل',
      'onboarding.relayHint':
        'ينقل المُرحِّل رسائلك المشفّرة، ولا يستطيع قراءتها. احتفظ بالعنوان الذي أعطاك إياه مجتمعك.',
      'onboarding.checkingStrength':
        'جارٍ التحقق من قوة عبارة المرور؛ سيتابع Kindred من تلقاء نفسه.',
      'onboarding.settingUp': 'جارٍ الإعداد…',
      'onboarding.getStarted': 'ابدأ',
      'onboarding.usedBefore': 'هل استخدمت Kindred من قبل على حاسوب لم يعد لديك؟',
      'onboarding.restore': 'الاستعادة من نسخة احتياطية',
      'onboarding.unlockTitle': 'فتح قفل Kindred',
      'onboarding.unlockLead': 'رسائلك مقفلة على هذا الجهاز. أدخل عبارة المرور لفتحها.',
      'onboarding.unlocking': 'جارٍ فتح القفل…',
      'onboarding.unlock': 'فتح القفل',
    },
  },
);
