import { areaCatalogue } from '../catalogue.std.js';

/** "Get help now": the button on every screen and its panel of crisis lines. */
export const crisisMessages = areaCatalogue(
  {
    'crisis.open': 'Get help now',
    'crisis.openTitle': 'Crisis lines for your country (Ctrl+Shift+H)',
    'crisis.title': 'Get help now',
    'crisis.intro':
      'You are not alone, and reaching out is a brave thing to do. This list lives on your device: opening it tells no one.',
    'crisis.emergencyHeading': 'If you are in danger right now',
    'crisis.call': 'Call {number}',
    'crisis.text': 'Text {number}',
    'crisis.textKeyword': 'Text {keyword} to {number}',
    'crisis.chat': 'Chat online: {address}',
    'crisis.linesHeading': 'Someone to talk to',
    'crisis.allDay': 'Open 24 hours, every day',
    'crisis.hours': 'Hours: {hours}',
    'crisis.free': 'Free',
    'crisis.mayCost': 'May cost',
    'crisis.languages': 'Languages: {languages}',
    'crisis.source': 'Source: {source}, written down on {date}',
    'crisis.country': 'Country',
    'crisis.noLines':
      'Kindred has no crisis lines recorded for {country} yet. If you are in danger, call your local emergency number.',
    'crisis.chooseCountry': 'Choose your country',
    'crisis.loading': 'Opening the list…',
    'crisis.unavailable':
      'The list could not be opened just now. If you are in danger, call your local emergency number.',
    'crisis.dialNote': 'Every number is shown in full, so you can dial it from any phone.',
    'crisis.noticeText':
      'It sounds like things may be very hard right now. Would you like to see who you can reach tonight?',
    'crisis.noticeDismiss': 'Not now',
    'crisis.settingsTitle': 'Get help now',
    'crisis.noticeSetting': 'Offer crisis lines when what I type sounds like a crisis',
    'crisis.noticeHint':
      'Off by default. Your drafts are read on this device only, against a short list of phrases: nothing is logged, kept or sent.',
  },
  {
    es: {
      'crisis.open': 'Pedir ayuda ya',
      'crisis.openTitle': 'Líneas de crisis de tu país (Ctrl+Mayús+H)',
      'crisis.title': 'Pedir ayuda ya',
      'crisis.intro':
        'No estás solo ni sola, y pedir ayuda es un paso valiente. Esta lista está en tu dispositivo: abrirla no avisa a nadie.',
      'crisis.emergencyHeading': 'Si estás en peligro ahora mismo',
      'crisis.call': 'Llamar al {number}',
      'crisis.text': 'Enviar un SMS al {number}',
      'crisis.textKeyword': 'Enviar {keyword} al {number}',
      'crisis.chat': 'Chat en línea: {address}',
      'crisis.linesHeading': 'Alguien con quien hablar',
      'crisis.allDay': 'Abierto las 24 horas, todos los días',
      'crisis.hours': 'Horario: {hours}',
      'crisis.free': 'Gratuito',
      'crisis.mayCost': 'Puede tener coste',
      'crisis.languages': 'Idiomas: {languages}',
      'crisis.source': 'Fuente: {source}, anotado el {date}',
      'crisis.country': 'País',
      'crisis.noLines':
        'Kindred aún no tiene líneas de crisis para {country}. Si estás en peligro, llama al número de emergencias local.',
      'crisis.chooseCountry': 'Elige tu país',
      'crisis.loading': 'Abriendo la lista…',
      'crisis.unavailable':
        'No se pudo abrir la lista ahora. Si estás en peligro, llama al número de emergencias local.',
      'crisis.dialNote':
        'Cada número se muestra completo para que puedas marcarlo desde cualquier teléfono.',
      'crisis.noticeText':
        'Parece que ahora mismo las cosas pueden ser muy difíciles. ¿Quieres ver con quién puedes hablar esta noche?',
      'crisis.noticeDismiss': 'Ahora no',
      'crisis.settingsTitle': 'Pedir ayuda ya',
      'crisis.noticeSetting': 'Ofrecer líneas de crisis cuando lo que escribo suene a crisis',
      'crisis.noticeHint':
        'Desactivado por defecto. Tus borradores se leen solo en este dispositivo, con una lista corta de frases: nada se registra, guarda ni envía.',
    },
    fr: {
      'crisis.open': 'Trouver de l’aide',
      'crisis.openTitle': 'Lignes d’écoute de votre pays (Ctrl+Maj+H)',
      'crisis.title': 'Trouver de l’aide maintenant',
      'crisis.intro':
        'Vous n’êtes pas seul·e, et demander de l’aide est un acte de courage. Cette liste est sur votre appareil : l’ouvrir ne prévient personne.',
      'crisis.emergencyHeading': 'Si vous êtes en danger maintenant',
      'crisis.call': 'Appeler le {number}',
      'crisis.text': 'Envoyer un SMS au {number}',
      'crisis.textKeyword': 'Envoyer {keyword} au {number}',
      'crisis.chat': 'Discussion en ligne : {address}',
      'crisis.linesHeading': 'Quelqu’un à qui parler',
      'crisis.allDay': 'Ouvert 24 h sur 24, tous les jours',
      'crisis.hours': 'Horaires : {hours}',
      'crisis.free': 'Gratuit',
      'crisis.mayCost': 'Peut être payant',
      'crisis.languages': 'Langues : {languages}',
      'crisis.source': 'Source : {source}, noté le {date}',
      'crisis.country': 'Pays',
      'crisis.noLines':
        'Kindred n’a encore aucune ligne d’écoute pour {country}. Si vous êtes en danger, appelez le numéro d’urgence local.',
      'crisis.chooseCountry': 'Choisissez votre pays',
      'crisis.loading': 'Ouverture de la liste…',
      'crisis.unavailable':
        'La liste n’a pas pu s’ouvrir. Si vous êtes en danger, appelez le numéro d’urgence local.',
      'crisis.dialNote':
        'Chaque numéro est affiché en entier : vous pouvez le composer depuis n’importe quel téléphone.',
      'crisis.noticeText':
        'On dirait que les choses sont très difficiles en ce moment. Voulez-vous voir qui vous pouvez joindre ce soir ?',
      'crisis.noticeDismiss': 'Pas maintenant',
      'crisis.settingsTitle': 'Trouver de l’aide',
      'crisis.noticeSetting':
        'Proposer les lignes d’écoute quand ce que j’écris ressemble à une crise',
      'crisis.noticeHint':
        'Désactivé par défaut. Vos brouillons sont lus sur cet appareil seulement, avec une courte liste de phrases : rien n’est noté, gardé ni envoyé.',
    },
    de: {
      'crisis.open': 'Jetzt Hilfe holen',
      'crisis.openTitle': 'Krisentelefone in deinem Land (Strg+Umschalt+H)',
      'crisis.title': 'Jetzt Hilfe holen',
      'crisis.intro':
        'Du bist nicht allein, und sich Hilfe zu holen ist mutig. Diese Liste liegt auf deinem Gerät: Wer sie öffnet, benachrichtigt niemanden.',
      'crisis.emergencyHeading': 'Wenn du gerade in Gefahr bist',
      'crisis.call': '{number} anrufen',
      'crisis.text': 'SMS an {number}',
      'crisis.textKeyword': '{keyword} per SMS an {number}',
      'crisis.chat': 'Online-Chat: {address}',
      'crisis.linesHeading': 'Jemand zum Reden',
      'crisis.allDay': 'Rund um die Uhr erreichbar, jeden Tag',
      'crisis.hours': 'Erreichbar: {hours}',
      'crisis.free': 'Kostenlos',
      'crisis.mayCost': 'Kann kosten',
      'crisis.languages': 'Sprachen: {languages}',
      'crisis.source': 'Quelle: {source}, notiert am {date}',
      'crisis.country': 'Land',
      'crisis.noLines':
        'Kindred kennt für {country} noch keine Krisentelefone. Wenn du in Gefahr bist, ruf den örtlichen Notruf an.',
      'crisis.chooseCountry': 'Wähle dein Land',
      'crisis.loading': 'Liste wird geöffnet…',
      'crisis.unavailable':
        'Die Liste ließ sich gerade nicht öffnen. Wenn du in Gefahr bist, ruf den örtlichen Notruf an.',
      'crisis.dialNote':
        'Jede Nummer steht vollständig da, damit du sie von jedem Telefon wählen kannst.',
      'crisis.noticeText':
        'Es klingt, als wäre gerade alles sehr schwer. Möchtest du sehen, wen du heute Nacht erreichen kannst?',
      'crisis.noticeDismiss': 'Nicht jetzt',
      'crisis.settingsTitle': 'Jetzt Hilfe holen',
      'crisis.noticeSetting':
        'Krisentelefone anbieten, wenn das Geschriebene nach einer Krise klingt',
      'crisis.noticeHint':
        'Standardmäßig aus. Deine Entwürfe werden nur auf diesem Gerät mit einer kurzen Liste von Wendungen verglichen: Nichts wird protokolliert, gespeichert oder gesendet.',
    },
    ar: {
      'crisis.open': 'اطلب المساعدة الآن',
      'crisis.openTitle': 'خطوط الأزمات في بلدك (Ctrl+Shift+H)',
      'crisis.title': 'اطلب المساعدة الآن',
      'crisis.intro':
        'لست وحدك، وطلب المساعدة خطوة شجاعة. هذه القائمة محفوظة على جهازك: فتحها لا يُعلم أحدًا.',
      'crisis.emergencyHeading': 'إذا كنت في خطر الآن',
      'crisis.call': 'اتصل بالرقم {number}',
      'crisis.text': 'أرسل رسالة نصية إلى {number}',
      'crisis.textKeyword': 'أرسل {keyword} إلى {number}',
      'crisis.chat': 'محادثة عبر الإنترنت: {address}',
      'crisis.linesHeading': 'من تتحدث إليه',
      'crisis.allDay': 'متاح على مدار الساعة، كل يوم',
      'crisis.hours': 'الساعات: {hours}',
      'crisis.free': 'مجاني',
      'crisis.mayCost': 'قد يكون بمقابل',
      'crisis.languages': 'اللغات: {languages}',
      'crisis.source': 'المصدر: {source}، دُوِّن في {date}',
      'crisis.country': 'البلد',
      'crisis.noLines':
        'لا يعرف Kindred بعد خطوط أزمات في {country}. إذا كنت في خطر، فاتصل برقم الطوارئ المحلي.',
      'crisis.chooseCountry': 'اختر بلدك',
      'crisis.loading': 'جارٍ فتح القائمة…',
      'crisis.unavailable': 'تعذّر فتح القائمة الآن. إذا كنت في خطر، فاتصل برقم الطوارئ المحلي.',
      'crisis.dialNote': 'كل رقم معروض كاملًا لتتمكن من الاتصال به من أي هاتف.',
      'crisis.noticeText':
        'يبدو أن الأمور صعبة جدًا الآن. هل تريد أن ترى من يمكنك التواصل معه الليلة؟',
      'crisis.noticeDismiss': 'ليس الآن',
      'crisis.settingsTitle': 'اطلب المساعدة الآن',
      'crisis.noticeSetting': 'اعرض خطوط الأزمات حين يبدو ما أكتبه كأزمة',
      'crisis.noticeHint':
        'معطّل افتراضيًا. تُقرأ مسوداتك على هذا الجهاز فقط، مقارنةً بقائمة قصيرة من العبارات: لا يُسجَّل شيء ولا يُحفظ ولا يُرسل.',
    },
  },
);
