// A group's pinned local resources (docs/crisis-help.md, "A group's own resources"): the rules
// for what moderators may pin, and the links members open. They travel inside the group's info,
// sealed under the group secret, so the relay never reads them.
import { codePointLength } from '../../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import type { GroupResource } from '../../protocol/gen/kindred_pb.js';
import { GroupResourceReach } from '../../protocol/gen/kindred_pb.js';

/** How a resource is reached: a number to call, a number to text, or an https page. */
export type GroupResourceKind = 'phone' | 'text' | 'web';

export interface GroupResourceData {
  readonly name: string;
  readonly reach: GroupResourceKind;
  /** phone/text: digits in groups of single spaces, an optional leading +; web: an https URL. */
  readonly address: string;
  /** A short note: hours, who answers, what to say. Empty when none. */
  readonly note: string;
}

/** Bounds that keep the list short enough to read in a crisis and the sealed info small. */
export const MAX_GROUP_RESOURCES = 8;
export const MAX_RESOURCE_NAME_LENGTH = 64;
export const MAX_RESOURCE_ADDRESS_LENGTH = 200;
export const MAX_RESOURCE_NOTE_LENGTH = 200;

export const GROUP_RESOURCE_KINDS: readonly GroupResourceKind[] = ['phone', 'text', 'web'];

const PHONE = /^\+?[0-9]+(?: [0-9]+)*$/u;
/** No control characters at all in a name, an address or a note (a terminal shows them). */
const CONTROL = /\p{Cc}/u;

function invalid(index: number, what: string): CoreError {
  return new CoreError(CoreErrorCode.InvalidInput, `resource ${index + 1}: ${what}`);
}

/**
 * Checks a list a moderator wants to pin, before it is sealed: at most {@link MAX_GROUP_RESOURCES},
 * each with a name, a known way to reach it and a well-formed address, bounded lengths, no control
 * characters, no address listed twice. Answers the list trimmed; CORE_INVALID_INPUT otherwise.
 */
export function checkGroupResources(resources: readonly GroupResourceData[]): GroupResourceData[] {
  if (resources.length > MAX_GROUP_RESOURCES) {
    throw new CoreError(
      CoreErrorCode.InvalidInput,
      `a group pins at most ${MAX_GROUP_RESOURCES} resources`,
    );
  }
  const seen = new Set<string>();
  return resources.map((resource, index) => {
    const name = resource.name.trim();
    const address = resource.address.trim();
    const note = resource.note.trim();
    if (name.length === 0 || codePointLength(name) > MAX_RESOURCE_NAME_LENGTH) {
      throw invalid(index, `a name has 1 to ${MAX_RESOURCE_NAME_LENGTH} characters`);
    }
    if (codePointLength(note) > MAX_RESOURCE_NOTE_LENGTH) {
      throw invalid(index, `a note has at most ${MAX_RESOURCE_NOTE_LENGTH} characters`);
    }
    if (CONTROL.test(name) || CONTROL.test(address) || CONTROL.test(note)) {
      throw invalid(index, 'no control characters');
    }
    if (!GROUP_RESOURCE_KINDS.includes(resource.reach)) {
      throw invalid(index, `reach is one of ${GROUP_RESOURCE_KINDS.join(', ')}`);
    }
    if (address.length > MAX_RESOURCE_ADDRESS_LENGTH) {
      throw invalid(index, `an address has at most ${MAX_RESOURCE_ADDRESS_LENGTH} characters`);
    }
    if (resource.reach === 'web') {
      if (!isHttpsAddress(address)) throw invalid(index, 'a web address starts with https://');
    } else {
      const digits = address.replace(/[ +]/gu, '');
      if (!PHONE.test(address) || digits.length < 3 || digits.length > 15) {
        throw invalid(index, 'a number has 3 to 15 digits, single spaces, an optional leading +');
      }
    }
    const key = `${resource.reach}:${resource.reach === 'web' ? address : address.replaceAll(' ', '')}`;
    if (seen.has(key)) throw invalid(index, 'this way of reaching it is already listed');
    seen.add(key);
    return { name, reach: resource.reach, address, note };
  });
}

function isHttpsAddress(address: string): boolean {
  if (!address.startsWith('https://')) return false;
  try {
    const url = new URL(address);
    return url.protocol === 'https:' && url.hostname.length > 0 && url.username === '';
  } catch {
    return false;
  }
}

/** The link a member opens: `tel:+441234567`, `sms:85258`, or the https address itself. */
export function groupResourceUri(resource: GroupResourceData): string {
  if (resource.reach === 'web') return resource.address;
  const digits = resource.address.replaceAll(' ', '');
  return resource.reach === 'phone' ? `tel:${digits}` : `sms:${digits}`;
}

const TO_WIRE: Record<GroupResourceKind, GroupResourceReach> = {
  phone: GroupResourceReach.PHONE,
  text: GroupResourceReach.TEXT,
  web: GroupResourceReach.WEB,
};

/** The protobuf form sealed inside GroupInfo. */
export function groupResourcesToWire(
  resources: readonly GroupResourceData[],
): { name: string; reach: GroupResourceReach; address: string; note: string }[] {
  return resources.map((resource) => ({ ...resource, reach: TO_WIRE[resource.reach] }));
}

/**
 * The resources read from a group's info. An entry a newer client wrote in a way this one does not
 * know, or that breaks the rules (a moderator's client should never have sealed it), is left out
 * rather than shown as a link that could mislead.
 */
export function groupResourcesFromWire(resources: readonly GroupResource[]): GroupResourceData[] {
  const known: GroupResourceData[] = [];
  for (const resource of resources) {
    const reach = GROUP_RESOURCE_KINDS.find((kind) => TO_WIRE[kind] === resource.reach);
    if (reach === undefined) continue;
    const candidate = {
      name: resource.name,
      reach,
      address: resource.address,
      note: resource.note,
    };
    try {
      known.push(...checkGroupResources([candidate]));
    } catch {
      continue;
    }
    if (known.length === MAX_GROUP_RESOURCES) break;
  }
  return known;
}
