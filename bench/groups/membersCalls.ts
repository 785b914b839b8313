/**
 * What the members' process (members.ts) is called with and answers, for bench/groups/GroupBench.ts:
 * one interface per method's parameters and per answer.
 */
export interface MembersConnectParams {
  readonly url: string;
  readonly count: number;
}

export interface MembersConnected {
  readonly connectMs: number;
}

export interface JoinParams {
  readonly link: string;
  /** The group secret in hex (what a moderator's client would send each joiner 1:1). */
  readonly secret: string;
  /** Members 0 … size-1 join. */
  readonly size: number;
}

export interface Joined {
  readonly groupId: string;
  /** Stream index of the last join, and the log's length after it. */
  readonly lastIndex: number;
  readonly logLength: number;
  readonly joinMs: number;
  /** Mean time of one join among the first and the last JOIN_SAMPLE joins (ms). */
  readonly firstJoinsMs: number;
  readonly lastJoinsMs: number;
}

export interface SenderKeyParams {
  readonly groupId: string;
  readonly sender: string;
  /** SenderKeyDistributionMessage, base64url. */
  readonly distribution: string;
}

export interface OneToOneRecipient {
  readonly address: string;
  /** Delivery access key, base64url (the sender holds it as a contact would). */
  readonly accessKey: string;
}

export interface WaitForParams {
  readonly groupId: string;
  readonly index: number;
  readonly timeoutMs: number;
}

/** When the members read one message (epochNow() of this process). */
export interface Arrival {
  readonly firstAt: number;
  readonly lastAt: number;
  readonly readers: number;
}

export interface WaitMailboxParams {
  /** Envelopes member 0 has read since the suite started, at least. */
  readonly total: number;
  readonly timeoutMs: number;
}

export interface VerifyParams {
  /** Absent: the 1:1 envelopes member 0 received. */
  readonly groupId?: string;
  readonly sender: string;
  /** The relay's trust root (base64url), for the 1:1 sealed sender certificate. */
  readonly trustRoot: string;
}

export interface Verified {
  /** Messages opened, over every sampled member. */
  readonly messages: number;
  /** Members that opened them. */
  readonly samples: number;
}

export interface MembersUsage {
  /** process.cpuUsage() of this process, µs. */
  readonly cpuMicros: number;
}
