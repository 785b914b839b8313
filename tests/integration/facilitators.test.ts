// Facilitator credentials in groups (docs/directory.md "Facilitators", docs/groups.md
// "Facilitator badges"): the operator issues one with the relay's own operator.key, the persona
// adds it, and every member's client checks it against the operator key the trust root endorses.
// Real relays on loopback, real LevelDB vaults; the hostile member signs its own operations.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroupHandle, KindredClient } from '../../core/client/index.js';
import {
  CoreErrorCode,
  RelayConnection,
  fromBase64Url,
  generateOperatorKeyPair,
  issueFacilitatorCredential,
  sealMemberProfile,
  signGroupOperation,
  signRevocationList,
  toBase64Url,
} from '../../core/client/index.js';
import type { RunningRelay } from '../../server/index.js';
import {
  epochSecretsFromVault,
  fetchGroupState,
  groupIdOf,
  personaFromVault,
} from './groupHelpers.js';
import { newClient, startTestRelay, useTestRelay, waitFor } from './helpers.js';
import { RelayProxy } from './RelayProxy.js';

const relay = useTestRelay();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WAIT_MS = 30_000;
const TITLE = 'Navigator, St James’s Cancer Centre';

/** The clock Nora's client checks expiry with; a test moves it. */
const clock = { now: Date.now() };
let otherRelay: (RunningRelay & { dataDir: string }) | undefined;
let nora: KindredClient;
let noraGroup: GroupHandle;
let ada: KindredClient;
let adaGroup: GroupHandle;
let adaCredentialId = '';
let link = '';

beforeAll(async () => {
  otherRelay = await startTestRelay(relay.dirs);
});
afterAll(async () => {
  await otherRelay?.close();
});

async function operatorKeyOf(dataDir: string): Promise<Uint8Array> {
  const text = await readFile(path.join(dataDir, 'operator.key'), 'utf8');
  const key = fromBase64Url(text.trim());
  if (key === undefined) throw new Error('operator.key is malformed');
  return key;
}

/** A credential for `address`, as `kindred-server facilitator issue` hands it out. */
async function issue(
  address: string,
  options: {
    signer?: Uint8Array;
    relayId?: Uint8Array;
    issuedAt?: number;
    expiresAt?: number;
  } = {},
): Promise<string> {
  return toBase64Url(
    issueFacilitatorCredential(options.signer ?? (await operatorKeyOf(relay.running.dataDir)), {
      roleTitle: TITLE,
      address,
      relayId: options.relayId ?? relay.running.relayId,
      expiresAt: options.expiresAt ?? Date.now() + 30 * DAY,
      ...(options.issuedAt === undefined ? {} : { issuedAt: options.issuedAt }),
    }),
  );
}

async function badgeOf(group: GroupHandle, address: string): Promise<string | undefined> {
  const member = (await group.members()).find((view) => view.address === address);
  return member?.badge?.roleTitle;
}

async function credentialWarnings(
  group: GroupHandle,
): Promise<{ detail: string; member?: string }[]> {
  return (await group.warnings())
    .filter((warning) => warning.kind === 'facilitator-credential')
    .map(({ detail, member }) => ({ detail, ...(member === undefined ? {} : { member }) }));
}

async function started(client: KindredClient): Promise<KindredClient> {
  await client.start({ receive: true });
  return client;
}

describe('facilitator credentials in a group', () => {
  it('a valid credential shows a badge to every member, beside the pseudonym and its messages', async () => {
    nora = await started(await relay.client('Nora', { credentialClock: () => clock.now }));
    ada = await started(await relay.client('Ada'));
    noraGroup = await nora.createGroup({ name: 'Sarcoma circle', description: '', rules: '' });
    link = await noraGroup.invite({ maxUses: 20, expiresAt: Date.now() + DAY });
    adaGroup = await ada.joinGroup(link, { pseudonym: 'Ada' });
    await waitFor(
      async () => !(await adaGroup.details()).waitingForKey,
      WAIT_MS,
      'Ada to hold the group key',
    );

    const added = await ada.facilitator.add(await issue(adaGroup.persona));
    adaCredentialId = added.credentialId;
    expect(added).toMatchObject({
      persona: adaGroup.persona,
      roleTitle: TITLE,
      standing: 'valid',
      shown: true,
    });
    await waitFor(
      async () => (await badgeOf(noraGroup, adaGroup.persona)) === TITLE,
      WAIT_MS,
      'Nora to see Ada’s badge',
    );
    expect(await badgeOf(adaGroup, adaGroup.persona)).toBe(TITLE);

    await adaGroup.send('I can help with appointments');
    await waitFor(
      async () =>
        (await noraGroup.messages()).some(
          (message) =>
            message.text === 'I can help with appointments' &&
            message.senderBadge?.roleTitle === TITLE,
        ),
      WAIT_MS,
      'Ada’s message to reach Nora with her badge',
    );

    // Someone who joins later reads the badge from the log.
    const ben = await started(await relay.client('Ben'));
    const benGroup = await ben.joinGroup(link, { pseudonym: 'Ben' });
    await waitFor(
      async () => (await badgeOf(benGroup, adaGroup.persona)) === TITLE,
      WAIT_MS,
      'Ben to see Ada’s badge',
    );
    expect(await badgeOf(benGroup, benGroup.persona)).toBeUndefined();
    expect(await credentialWarnings(noraGroup)).toEqual([]);
  });

  it('a relay that strips or swaps the operator key’s endorsement gets no badge shown', async () => {
    const proxy = await RelayProxy.start(relay.url);
    try {
      let mode: 'strip' | 'swap' | 'honest' = 'strip';
      const stranger = generateOperatorKeyPair().publicKey;
      proxy.rewriteServerFrame = (frame) => {
        if (frame.body.case !== 'challenge' || mode === 'honest') return frame;
        if (mode === 'strip') frame.body.value.operatorKeyEndorsement = new Uint8Array(0);
        else frame.body.value.operatorKey = stranger;
        return frame;
      };
      const vera = await started(relay.track(await newClient(relay.dirs, proxy.url, 'Vera')));
      const veraGroup = await vera.joinGroup(link, { pseudonym: 'Vera' });
      await waitFor(
        async () =>
          (await veraGroup.members()).some(
            (member) => member.address === adaGroup.persona && member.pseudonym === 'Ada',
          ),
        WAIT_MS,
        'Vera to read Ada’s profile',
      );
      expect(await badgeOf(veraGroup, adaGroup.persona)).toBeUndefined();
      expect(await credentialWarnings(veraGroup)).toEqual([
        { detail: 'unverifiable', member: adaGroup.persona },
      ]);

      const session = vera.session(veraGroup.persona);
      mode = 'swap';
      expect(await session.facilitator.operatorKey({ ask: true })).toBeUndefined();
      expect(await badgeOf(veraGroup, adaGroup.persona)).toBeUndefined();

      // The next honest connection brings the endorsed key: the badge shows.
      mode = 'honest';
      expect(await session.facilitator.operatorKey({ ask: true })).toBeDefined();
      expect(await badgeOf(veraGroup, adaGroup.persona)).toBe(TITLE);
      // A swapped key later does not replace the endorsed one.
      mode = 'swap';
      await veraGroup.sync();
      expect(await badgeOf(veraGroup, adaGroup.persona)).toBe(TITLE);
    } finally {
      await proxy.close();
    }
  });

  it('an expired credential shows no badge and a warning, as the clock passes its expiry', async () => {
    const expiresAt = Date.now() + HOUR;
    const dana = await started(await relay.client('Dana'));
    const danaGroup = await dana.joinGroup(link, { pseudonym: 'Dana' });
    await waitFor(
      async () => !(await danaGroup.details()).waitingForKey,
      WAIT_MS,
      'Dana to hold the group key',
    );
    await dana.facilitator.add(await issue(danaGroup.persona, { expiresAt }));
    await waitFor(
      async () => (await badgeOf(noraGroup, danaGroup.persona)) === TITLE,
      WAIT_MS,
      'Nora to see Dana’s badge',
    );
    clock.now = expiresAt + 1;
    try {
      expect(await badgeOf(noraGroup, danaGroup.persona)).toBeUndefined();
      expect(await credentialWarnings(noraGroup)).toContainEqual({
        detail: 'expired',
        member: danaGroup.persona,
      });
      // Warned once, however often the warnings are read.
      const again = await credentialWarnings(noraGroup);
      expect(again.filter((warning) => warning.detail === 'expired')).toHaveLength(1);
    } finally {
      clock.now = Date.now();
    }
    // Adding an expired credential is refused with a code.
    await expect(
      dana.facilitator.add(
        await issue(danaGroup.persona, { issuedAt: Date.now() - DAY, expiresAt: Date.now() - 1 }),
      ),
    ).rejects.toMatchObject({ code: CoreErrorCode.CredentialInvalid });
  });

  it('a revoked credential shows no badge and a warning; an older list does not undo it', async () => {
    const operatorKey = await operatorKeyOf(relay.running.dataDir);
    const relayId = relay.running.relayId;
    const facilitator = nora.session(noraGroup.persona).facilitator;
    const now = Date.now();
    const revoking = signRevocationList(operatorKey, {
      relayId,
      credentialIds: [adaCredentialId],
      issuedAt: now,
    });
    expect(await facilitator.acceptRevocationList(revoking)).toBe(true);
    expect(await badgeOf(noraGroup, adaGroup.persona)).toBeUndefined();
    expect(await credentialWarnings(noraGroup)).toContainEqual({
      detail: 'revoked',
      member: adaGroup.persona,
    });
    const older = signRevocationList(operatorKey, {
      relayId,
      credentialIds: [],
      issuedAt: now - 1,
    });
    expect(await facilitator.acceptRevocationList(older)).toBe(false);
    expect(await badgeOf(noraGroup, adaGroup.persona)).toBeUndefined();
    // A list another key signed is refused.
    const forged = signRevocationList(generateOperatorKeyPair().privateKey, {
      relayId,
      credentialIds: [],
      issuedAt: now + 1,
    });
    await expect(facilitator.acceptRevocationList(forged)).rejects.toMatchObject({
      code: CoreErrorCode.CredentialInvalid,
    });
    // Ada's own client, given the list, stops showing it.
    expect(await ada.session(adaGroup.persona).facilitator.acceptRevocationList(revoking)).toBe(
      true,
    );
    expect((await ada.facilitator.show())[0]).toMatchObject({ standing: 'revoked', shown: false });
  });

  it('forged, another relay’s operator’s, another relay’s id and another persona’s: no badge, a warning each', async () => {
    const home = await relay.dirs.make('home');
    const mallory = await started(await newClient(relay.dirs, relay.url, 'Mallory', { home }));
    const malloryGroup = await mallory.joinGroup(link, { pseudonym: 'Mallory' });
    await waitFor(
      async () => !(await malloryGroup.details()).waitingForKey,
      WAIT_MS,
      'Mallory to hold the group key',
    );
    const address = malloryGroup.persona;
    const other = otherRelay;
    if (other === undefined) throw new Error('the second relay starts in beforeAll');
    const shown = {
      forged: await issue(address, { signer: generateOperatorKeyPair().privateKey }),
      otherOperator: await issue(address, {
        signer: await operatorKeyOf(other.dataDir),
        relayId: other.relayId,
      }),
      otherRelayId: await issue(address, { relayId: other.relayId }),
      otherPersona: await issue(adaGroup.persona),
    };
    // Mallory's own client refuses each.
    for (const text of Object.values(shown)) {
      await expect(mallory.facilitator.add(text)).rejects.toMatchObject({
        code: CoreErrorCode.CredentialInvalid,
      });
    }
    await mallory.close();

    // A modified client shows them anyway, one after the other, with set_profile operations the
    // relay accepts (it cannot read what is sealed): every member's client checks each.
    const groupId = groupIdOf(malloryGroup);
    const persona = await personaFromVault(home, address);
    const secret = (await epochSecretsFromVault(home, address, groupId)).at(-1);
    if (secret === undefined) throw new Error('Mallory holds the group secret');
    const expected = [
      { text: shown.forged, detail: 'forged' },
      { text: shown.otherOperator, detail: 'forged' },
      { text: shown.otherRelayId, detail: 'other-relay' },
      { text: shown.otherPersona, detail: 'other-persona' },
    ];
    for (const { text, detail } of expected) {
      const credential = fromBase64Url(text);
      if (credential === undefined) throw new Error('issued credentials are base64url');
      const state = await fetchGroupState(relay.url, { groupId, secret });
      const sealedProfile = await sealMemberProfile(secret, groupId, persona.identityPublicKey, {
        pseudonym: 'Mallory',
        accessKey: new Uint8Array(randomBytes(32)),
        profileKey: new Uint8Array(randomBytes(32)),
        facilitatorCredential: credential,
      });
      const signed = signGroupOperation(persona, {
        groupId,
        state,
        action: { case: 'setProfile', value: { sealedProfile } },
      });
      const connection = await RelayConnection.open({ url: relay.url });
      try {
        await connection.authenticate(persona);
        await connection.request(
          { case: 'submitGroupOperation', value: { operation: signed } },
          'groupAppended',
        );
      } finally {
        connection.close();
      }
      await waitFor(
        async () =>
          (await credentialWarnings(noraGroup)).some(
            (warning) => warning.detail === detail && warning.member === address,
          ),
        WAIT_MS,
        `Nora’s warning about a ${detail} credential`,
      );
      expect(await badgeOf(noraGroup, address)).toBeUndefined();
    }
    // Two credentials were forged (one by another relay's operator): a warning for each.
    const mine = (await credentialWarnings(noraGroup)).filter((w) => w.member === address);
    expect(mine.map((warning) => warning.detail)).toEqual([
      'forged',
      'forged',
      'other-relay',
      'other-persona',
    ]);
  });
});
