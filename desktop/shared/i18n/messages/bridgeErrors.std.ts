import { areaCatalogue } from '../catalogue.std.js';

/** Errors the window’s bridge gives calls that never reached the vault’s process, worded by their code like the errors area’s (describeError finds them as errors.<code>). */
export const bridgeErrorMessages = areaCatalogue(
  {
    'errors.bridgeDisconnected':
      'The link to Kindred was lost before an answer came. Please try again in a moment.',
    'errors.bridgeUnreachable': 'Kindred is not reachable right now. Please try again in a moment.',
    'errors.bridgeUnauthorized':
      'This page is not allowed to talk to Kindred. Open the address the dev host printed.',
    'errors.bridgeBadReply': 'Kindred sent an answer this window does not understand.',
    'errors.desktopTooLarge': 'That is too large to send at once.',
  },
  {
    es: {
      'errors.bridgeDisconnected':
        'La conexión con Kindred se perdió antes de que llegara una respuesta. Inténtalo de nuevo en un momento.',
      'errors.bridgeUnreachable':
        'Kindred no está disponible ahora mismo. Inténtalo de nuevo en un momento.',
      'errors.bridgeUnauthorized':
        'Esta página no tiene permiso para hablar con Kindred. Abre la dirección que mostró el servidor de desarrollo.',
      'errors.bridgeBadReply': 'Kindred envió una respuesta que esta ventana no entiende.',
      'errors.desktopTooLarge': 'Eso es demasiado grande para enviarlo de una vez.',
    },
    fr: {
      'errors.bridgeDisconnected':
        'Le lien avec Kindred a été perdu avant qu’une réponse n’arrive. Veuillez réessayer dans un instant.',
      'errors.bridgeUnreachable':
        'Kindred est injoignable pour le moment. Veuillez réessayer dans un instant.',
      'errors.bridgeUnauthorized':
        'Cette page n’a pas le droit de parler à Kindred. Ouvrez l’adresse affichée par l’hôte de développement.',
      'errors.bridgeBadReply': 'Kindred a envoyé une réponse que cette fenêtre ne comprend pas.',
      'errors.desktopTooLarge': 'C’est trop volumineux pour être envoyé d’un coup.',
    },
    de: {
      'errors.bridgeDisconnected':
        'Die Verbindung zu Kindred ist abgebrochen, bevor eine Antwort kam. Bitte versuche es gleich noch einmal.',
      'errors.bridgeUnreachable':
        'Kindred ist gerade nicht erreichbar. Bitte versuche es gleich noch einmal.',
      'errors.bridgeUnauthorized':
        'Diese Seite darf nicht mit Kindred sprechen. Öffne die Adresse, die der Entwicklungs-Host ausgegeben hat.',
      'errors.bridgeBadReply':
        'Kindred hat eine Antwort geschickt, die dieses Fenster nicht versteht.',
      'errors.desktopTooLarge': 'Das ist zu groß, um es auf einmal zu senden.',
    },
    ar: {
      'errors.bridgeDisconnected':
        'انقطع الاتصال بـKindred قبل وصول الرد. يُرجى المحاولة مجددًا بعد قليل.',
      'errors.bridgeUnreachable': 'لا يمكن الوصول إلى Kindred الآن. يُرجى المحاولة مجددًا بعد قليل.',
      'errors.bridgeUnauthorized':
        'لا يُسمح لهذه الصفحة بالتواصل مع Kindred. افتح العنوان الذي طبعه خادم التطوير.',
      'errors.bridgeBadReply': 'أرسل Kindred ردًّا لا تفهمه هذه النافذة.',
      'errors.desktopTooLarge': 'هذا أكبر من أن يُرسَل دفعة واحدة.',
    },
  },
);
