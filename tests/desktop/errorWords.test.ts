import { randomBytes } from 'node:crypto';
import { createIntl } from 'react-intl';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CoreError,
  CoreErrorCode,
  Persona,
  RelayErrorCode,
  createContactInviteLink,
  RelayRejectedError,
} from '../../core/client/index.js';
import {
  CORE_EXPLANATIONS,
  INTERNAL_MESSAGE,
  RELAY_EXPLANATIONS,
  toApiError,
} from '../../desktop/main/apiErrors.main.js';
import { namedLinkRefusal } from '../../desktop/main/DeliveryViews.main.js';
import { ApiCallError, BridgeErrorCode } from '../../desktop/renderer/bridge.dom.js';
import { errorId, setErrorFormatter } from '../../desktop/renderer/i18n/errorWords.dom.js';
import { describeError } from '../../desktop/renderer/kindredContext.dom.js';
import { DesktopErrorCode } from '../../desktop/shared/api.std.js';
import type { Locale } from '../../desktop/shared/i18n/locales.std.js';
import { MESSAGES, type MessageId } from '../../desktop/shared/i18n/messages.std.js';
import { loadSodium } from '../../core/vault/sodium.js';

const silentLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The window's formatter in `locale`, as the LanguageProvider registers it. */
function speak(locale: Locale): void {
  const intl = createIntl({ locale, defaultLocale: 'en', messages: MESSAGES[locale] });
  setErrorFormatter((id, values) => intl.formatMessage({ id }, values));
}

/** What the window shows for `error` thrown in main. */
function shown(error: unknown): string {
  return describeError(new ApiCallError(toApiError(error, silentLogger, 'm')));
}

/** A real, signed contact link carrying the name `pseudonym`. */
async function contactLink(pseudonym: string): Promise<string> {
  await loadSodium();
  const persona = Persona.generate(pseudonym);
  const card = {
    relayUrl: 'wss://relay.example.org',
    trustRoot: Persona.generate('Trust').identityPublicKey,
    address: persona.address,
    identityKey: persona.identityPublicKey,
    accessKey: new Uint8Array(randomBytes(32)),
    profileKey: new Uint8Array(randomBytes(32)),
    pseudonym,
  };
  return createContactInviteLink(persona, { card, expiresAt: 0, maxUses: 1 }).link;
}

const english = MESSAGES.en as Readonly<Record<string, string>>;

describe('errors worded by the window', () => {
  afterEach(() => {
    setErrorFormatter(undefined);
  });

  it('has, for every code main words, the same English in the errors catalogue', () => {
    const mapped: [string, string | undefined][] = [
      ...Object.entries(CORE_EXPLANATIONS),
      ...Object.entries(RELAY_EXPLANATIONS),
      [DesktopErrorCode.Internal, INTERNAL_MESSAGE],
    ];
    expect(mapped.length).toBeGreaterThan(60);
    for (const [code, words] of mapped) {
      expect(english[errorId(code)], code).toBe(words);
    }
  });

  it('shows main’s exact English in English, and the chosen language otherwise', () => {
    const wrong = new CoreError(CoreErrorCode.WrongPassphrase, 'wrong passphrase');
    const full = new RelayRejectedError(RelayErrorCode.GroupFull, 0);
    const odd = new RelayRejectedError('RELAY_SOMETHING_NEW', 0);
    speak('en');
    expect(shown(wrong)).toBe('That passphrase is not right.');
    expect(shown(full)).toBe('The group is full.');
    expect(shown(odd)).toBe(toApiError(odd, silentLogger, 'm').message);
    speak('es');
    expect(shown(wrong)).toBe(MESSAGES.es['errors.coreVaultWrongPassphrase']);
    expect(shown(full)).toBe(MESSAGES.es['errors.relayGroupFull']);
    expect(shown(odd)).toBe('El relé rechazó esto (RELAY_SOMETHING_NEW).');
    speak('ar');
    expect(shown(new TypeError('x'))).toBe(MESSAGES.ar['errors.desktopInternal']);
    expect(describeError('not an error')).toBe(MESSAGES.ar['errors.unknown']);
  });

  it('words a refused link with the name it carries, in English exactly as main does', async () => {
    const link = await contactLink('Alice');
    for (const code of [CoreErrorCode.InviteUsedUp, CoreErrorCode.InviteExpired]) {
      const refusal = namedLinkRefusal(new CoreError(code, 'refused'), link);
      const sent = toApiError(refusal, silentLogger, 'contacts.add');
      expect(sent.details).toStrictEqual({ name: 'Alice' });
      speak('en');
      expect(shown(refusal)).toBe(sent.message);
      expect(sent.message).toContain('Ask Alice for a new one.');
      speak('fr');
      const id = errorId(code, 'named') as MessageId;
      expect(shown(refusal)).toBe(MESSAGES.fr[id].replace('{name}', 'Alice'));
    }
  });

  it('keeps main’s words for a code the catalogue does not know, and words made in the window', () => {
    speak('de');
    const strange = new ApiCallError({ code: 'DESKTOP_SOMETHING', message: 'As main put it.' });
    expect(describeError(strange)).toBe('As main put it.');
    const worded = new ApiCallError(
      { code: CoreErrorCode.BackupWrongKey, message: 'Schon übersetzt.' },
      { worded: true },
    );
    expect(describeError(worded)).toBe('Schon übersetzt.');
  });

  it('words the bridge’s own errors by their code, its English as the message it carries', () => {
    for (const code of Object.values(BridgeErrorCode)) {
      const id = errorId(code) as MessageId;
      expect(english[id], code).toBeDefined();
      const error = new ApiCallError({ code, message: english[id] ?? '' });
      speak('en');
      expect(describeError(error)).toBe(english[id]);
      speak('es');
      expect(describeError(error)).toBe(MESSAGES.es[id]);
      expect(describeError(error)).not.toBe(english[id]);
    }
  });
});
