import { fromBinary } from '@bufbuild/protobuf';
import type {
  AppliedGroupOperation,
  GroupRules,
  GroupState,
  Persona,
} from '../../core/client/index.js';
import {
  GROUP_RULES,
  RelayConnection,
  RelayRejectedError,
  groupOperationHash,
  personaAddressFor,
  toHex,
  wire,
} from '../../core/client/index.js';
import type { ProxyLink } from '../integration/RelayProxy.js';
import { RelayProxy } from '../integration/RelayProxy.js';
import { waitFor } from '../integration/helpers.js';

/** A sealed 1:1 envelope a client sent, as the relay acknowledged it. */
export interface CapturedEnvelope {
  /** What the test was doing when it was sent (see MaliciousRelay.label). */
  readonly label: string;
  readonly recipient: string;
  readonly accessKey: Uint8Array;
  readonly sealed: Uint8Array;
  /** Its id in the recipient's mailbox. */
  readonly envelopeId: bigint;
}

/** A group message a member posted, as the relay stored it. */
export interface CapturedPost {
  readonly label: string;
  /** The persona whose authenticated connection posted it. */
  readonly poster: string;
  readonly groupId: Uint8Array;
  readonly envelope: Uint8Array;
  readonly reaction: boolean;
  /** Its index in the group's stream (the relay's numbering). */
  readonly index: number;
}

/** A signed group operation a client submitted, as the relay stored it. */
export interface CapturedOperation {
  readonly label: string;
  readonly groupId: Uint8Array;
  readonly signed: Uint8Array;
  readonly index: number;
}

type Pending =
  | { readonly kind: 'envelope'; readonly value: Omit<CapturedEnvelope, 'envelopeId'> }
  | { readonly kind: 'post'; readonly value: Omit<CapturedPost, 'index'> }
  | { readonly kind: 'operation'; readonly value: Omit<CapturedOperation, 'index'> };

/** Envelope ids the relay never hands out (it counts up from 1), for envelopes it makes up. */
const FIRST_INVENTED_ENVELOPE_ID = 1n << 52n;

/**
 * A real relay behind a rewriting proxy, playing a relay that lies. It records every envelope,
 * group message and group operation clients get the relay to store (with a `label` saying what
 * the test was doing), sees every acknowledgement, and can
 *
 * - replay anything through the relay itself (`resend`, `repost`, `resubmit`): the relay stores
 *   it again (or refuses it) and delivers it like anything new, now or after a reconnect;
 * - push made-up deliveries straight into a persona's connection (`injectDeliver`,
 *   `injectGroupEntry`). An injected group entry takes the next index in that persona's stream
 *   and the relay's own later entries are renumbered past it (and the persona's acks numbered
 *   back), so the client sees one consistent stream with something extra in it, across
 *   reconnects too;
 * - rewrite, hold or drop any frame on its way to a client (`tamper`, last in line).
 */
export class MaliciousRelay {
  readonly proxy: RelayProxy;
  /** The real relay behind the proxy. */
  readonly relayUrl: string;
  /** Stamped on what is captured from now on. */
  label = '';
  readonly envelopes: CapturedEnvelope[] = [];
  readonly posts: CapturedPost[] = [];
  readonly operations: CapturedOperation[] = [];
  /** The last say over a relay frame before the client sees it; undefined drops it. */
  tamper: (frame: wire.ServerFrame, link: ProxyLink) => wire.ServerFrame | undefined = (frame) =>
    frame;
  readonly #pending = new WeakMap<ProxyLink, Map<number, Pending>>();
  /** persona → how many times it acknowledged each envelope id. */
  readonly #envelopeAcks = new Map<string, Map<bigint, number>>();
  /** persona|group → the highest index (as the persona sees the stream) it acknowledged. */
  readonly #groupAcks = new Map<string, number>();
  /** persona|group → indexes (as the persona sees the stream) of injected entries, ascending. */
  readonly #inserted = new Map<string, number[]>();
  /** persona|group → the highest index (as the persona sees the stream) sent to it. */
  readonly #lastSent = new Map<string, number>();
  #nextEnvelopeId = FIRST_INVENTED_ENVELOPE_ID;

  private constructor(proxy: RelayProxy, relayUrl: string) {
    this.proxy = proxy;
    this.relayUrl = relayUrl;
    proxy.rewriteClientFrame = (frame, link) => this.#fromClient(frame, link);
    proxy.rewriteServerFrame = (frame, link) => this.#fromRelay(frame, link);
  }

  static async start(relayUrl: string): Promise<MaliciousRelay> {
    return new MaliciousRelay(await RelayProxy.start(relayUrl), relayUrl);
  }

  /** Where clients connect. */
  get url(): string {
    return this.proxy.url;
  }

  close(): Promise<void> {
    return this.proxy.close();
  }

  /** Sends a captured envelope to its recipient again; resolves with its new mailbox id. */
  async resend(envelope: CapturedEnvelope): Promise<bigint> {
    const connection = await RelayConnection.open({ url: this.relayUrl });
    try {
      const ack = await connection.request(
        {
          case: 'sendEnvelope',
          value: {
            recipient: envelope.recipient,
            accessKey: envelope.accessKey,
            sealed: envelope.sealed,
          },
        },
        'sendAck',
      );
      return ack.envelopeId;
    } finally {
      connection.close();
    }
  }

  /**
   * Posts a captured group message again, on `member`'s authenticated connection (the relay never
   * learns who wrote a message, so any member's will do), at the log length the relay expects
   * now. Resolves with its stream index (the relay's numbering) or the relay's error code.
   */
  async repost(member: string, post: CapturedPost, logLength: number): Promise<number | string> {
    const answer = await this.#link(member).toRelay({
      case: 'postGroupMessage',
      value: {
        groupId: post.groupId,
        logLength: BigInt(logLength),
        envelope: post.envelope,
        reaction: post.reaction,
      },
    });
    if (answer.body.case === 'groupAppended') return Number(answer.body.value.index);
    if (answer.body.case === 'error') return answer.body.value.code;
    throw new Error(`the relay answered a post with ${String(answer.body.case)}`);
  }

  /**
   * Like `repost`, on a connection of its own authenticated as `member` (a member whose client is
   * offline), straight to the relay.
   */
  async repostAs(member: Persona, post: CapturedPost, logLength: number): Promise<number | string> {
    const connection = await RelayConnection.open({ url: this.relayUrl });
    try {
      await connection.authenticate(member);
      const appended = await connection.request(
        {
          case: 'postGroupMessage',
          value: {
            groupId: post.groupId,
            logLength: BigInt(logLength),
            envelope: post.envelope,
            reaction: post.reaction,
          },
        },
        'groupAppended',
      );
      return Number(appended.index);
    } catch (error) {
      if (RelayRejectedError.isRelayRejection(error)) return error.relayCode;
      throw error;
    } finally {
      connection.close();
    }
  }

  /** Submits a signed operation again; resolves with the relay's error code, or its index. */
  async resubmit(signed: Uint8Array): Promise<number | string> {
    const connection = await RelayConnection.open({ url: this.relayUrl });
    try {
      const appended = await connection.request(
        { case: 'submitGroupOperation', value: { operation: signed } },
        'groupAppended',
      );
      return Number(appended.index);
    } catch (error) {
      if (RelayRejectedError.isRelayRejection(error)) return error.relayCode;
      throw error;
    } finally {
      connection.close();
    }
  }

  /**
   * Pushes an envelope to `persona`'s connection as if it were in its mailbox (by default under
   * an id the relay never uses). Returns the id it was delivered under.
   */
  injectDeliver(
    persona: string,
    sealed: Uint8Array,
    envelopeId: bigint = this.#nextEnvelopeId++,
  ): bigint {
    this.#link(persona).toClient({
      requestId: 0,
      body: {
        case: 'deliver',
        value: { envelopeId, sealed, receivedAt: BigInt(Date.now()) },
      },
    });
    return envelopeId;
  }

  /**
   * Inserts an entry into the stream of `groupId` as `persona` sees it, at the next index; later
   * entries of the relay's move one up. Returns the index the persona sees it at.
   */
  injectGroupEntry(
    persona: string,
    groupId: Uint8Array,
    entry: { case: 'operation' | 'message'; value: Uint8Array },
  ): number {
    const key = streamKey(persona, groupId);
    const index = (this.#lastSent.get(key) ?? 0) + 1;
    this.#lastSent.set(key, index);
    this.#inserted.set(key, [...(this.#inserted.get(key) ?? []), index]);
    this.#link(persona).toClient({
      requestId: 0,
      body: {
        case: 'groupDeliver',
        value: { groupId, index: BigInt(index), receivedAt: BigInt(Date.now()), entry },
      },
    });
    return index;
  }

  /** The index `persona` sees the relay's entry `relayIndex` of `groupId` at. */
  seenIndex(persona: string, groupId: Uint8Array, relayIndex: number): number {
    let index = relayIndex;
    for (const inserted of this.#inserted.get(streamKey(persona, groupId)) ?? []) {
      if (inserted <= index) index++;
    }
    return index;
  }

  /** How many times `persona` acknowledged envelope `envelopeId`. */
  envelopeAcks(persona: string, envelopeId: bigint): number {
    return this.#envelopeAcks.get(persona)?.get(envelopeId) ?? 0;
  }

  /** Waits until `persona` acknowledged envelope `envelopeId` (`times` times in all). */
  async waitForEnvelopeAck(
    persona: string,
    envelopeId: bigint,
    times = 1,
    timeoutMs = 10_000,
  ): Promise<void> {
    await waitFor(
      () => this.envelopeAcks(persona, envelopeId) >= times,
      timeoutMs,
      `${persona} to acknowledge envelope ${envelopeId}`,
    );
  }

  /** Waits until `persona` acknowledged `groupId` up to `index` (as it sees the stream). */
  async waitForGroupAck(
    persona: string,
    groupId: Uint8Array,
    index: number,
    timeoutMs = 10_000,
  ): Promise<void> {
    await waitFor(
      () => (this.#groupAcks.get(streamKey(persona, groupId)) ?? 0) >= index,
      timeoutMs,
      `${persona} to acknowledge group entry ${index}`,
    );
  }

  /** `persona`'s newest open connection. */
  #link(persona: string): ProxyLink {
    const link = this.proxy.linksOf(persona).at(-1);
    if (link === undefined) throw new Error(`no open connection of ${persona}`);
    return link;
  }

  #fromClient(frame: wire.ClientFrame, link: ProxyLink): wire.ClientFrame {
    const body = frame.body;
    const pending = (value: Pending): void => {
      let map = this.#pending.get(link);
      if (map === undefined) this.#pending.set(link, (map = new Map<number, Pending>()));
      map.set(frame.requestId, value);
    };
    switch (body.case) {
      case 'sendEnvelope':
        pending({
          kind: 'envelope',
          value: {
            label: this.label,
            recipient: body.value.recipient,
            accessKey: body.value.accessKey,
            sealed: body.value.sealed,
          },
        });
        return frame;
      case 'postGroupMessage':
        pending({
          kind: 'post',
          value: {
            label: this.label,
            poster: link.persona ?? '',
            groupId: body.value.groupId,
            envelope: body.value.envelope,
            reaction: body.value.reaction,
          },
        });
        return frame;
      case 'submitGroupOperation':
        pending({
          kind: 'operation',
          value: {
            label: this.label,
            groupId: operationGroupId(body.value.operation),
            signed: body.value.operation,
          },
        });
        return frame;
      case 'ackEnvelopes': {
        const persona = link.persona;
        if (persona === undefined) return frame;
        let acked = this.#envelopeAcks.get(persona);
        if (acked === undefined)
          this.#envelopeAcks.set(persona, (acked = new Map<bigint, number>()));
        for (const id of body.value.envelopeIds) acked.set(id, (acked.get(id) ?? 0) + 1);
        return frame;
      }
      case 'ackGroup': {
        const persona = link.persona;
        if (persona === undefined) return frame;
        const key = streamKey(persona, body.value.groupId);
        const seen = Number(body.value.index);
        this.#groupAcks.set(key, Math.max(this.#groupAcks.get(key) ?? 0, seen));
        const inserted = this.#inserted.get(key) ?? [];
        const relayIndex = seen - inserted.filter((index) => index <= seen).length;
        body.value.index = BigInt(relayIndex);
        return frame;
      }
      default:
        return frame;
    }
  }

  #fromRelay(frame: wire.ServerFrame, link: ProxyLink): wire.ServerFrame | undefined {
    const body = frame.body;
    const pending = this.#pending.get(link)?.get(frame.requestId);
    if (frame.requestId !== 0 && pending !== undefined) {
      this.#pending.get(link)?.delete(frame.requestId);
      if (pending.kind === 'envelope' && body.case === 'sendAck') {
        this.envelopes.push({ ...pending.value, envelopeId: body.value.envelopeId });
      } else if (pending.kind === 'post' && body.case === 'groupAppended') {
        this.posts.push({ ...pending.value, index: Number(body.value.index) });
      } else if (pending.kind === 'operation' && body.case === 'groupAppended') {
        this.operations.push({ ...pending.value, index: Number(body.value.index) });
      }
    }
    if (body.case === 'groupDeliver' && link.persona !== undefined) {
      const key = streamKey(link.persona, body.value.groupId);
      const seen = this.seenIndex(link.persona, body.value.groupId, Number(body.value.index));
      body.value.index = BigInt(seen);
      this.#lastSent.set(key, Math.max(this.#lastSent.get(key) ?? 0, seen));
    }
    return this.tamper(frame, link);
  }
}

/**
 * Group rules for a relay that takes whatever it is given: an operation the real rules refuse
 * (unsigned, wrongly signed, by someone without the right, a join without the invite's key) is
 * appended anyway, as the next operation of the log. Posts are never checked. Clients still run
 * the real rules, which is the point.
 */
export const ACCEPT_ANYTHING_GROUP_RULES: GroupRules = {
  apply: (state, signed, context) => {
    try {
      return GROUP_RULES.apply(state, signed, context);
    } catch (error) {
      if (state === undefined) throw error;
      return forcedAppend(state, signed);
    }
  },
  checkPost: () => undefined,
  slowModeWaitMs: () => 0,
};

function forcedAppend(state: GroupState, signed: Uint8Array): AppliedGroupOperation {
  const outer = fromBinary(wire.SignedGroupOperationSchema, signed);
  const operation = fromBinary(wire.GroupOperationSchema, outer.operation);
  const hash = groupOperationHash(signed);
  return {
    state: { ...state, length: state.length + 1, head: hash },
    operation: {
      groupId: operation.groupId,
      sequence: state.length,
      previous: operation.previous,
      createdAt: Number(operation.createdAt),
      actor: operation.actor,
      actorAddress: personaAddressFor(operation.actor),
      sealedReason: operation.sealedReason,
      action: operation.action,
    },
    hash,
  };
}

function operationGroupId(signed: Uint8Array): Uint8Array {
  const outer = fromBinary(wire.SignedGroupOperationSchema, signed);
  return fromBinary(wire.GroupOperationSchema, outer.operation).groupId;
}

function streamKey(persona: string, groupId: Uint8Array): string {
  return `${persona}|${toHex(groupId)}`;
}
