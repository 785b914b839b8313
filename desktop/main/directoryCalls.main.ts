import type { KindredClient } from '../../core/client/index.js';
import { CONDITION_VOCABULARY, generatePseudonym } from '../../core/client/index.js';
import type {
  DirectoryOverviewView,
  ListingCardView,
  ListingConditionView,
  ListingPageView,
  ListingStandingView,
} from '../shared/api.std.js';
import type { ApiHandlers, ApiParsedArgs } from './callRouter.main.js';
import { groupConversationId } from './conversationId.std.js';
import { resolveGroup } from './conversationTargets.main.js';
import type { UnlockedVault } from './UnlockedVault.main.js';

type DirectoryMethod =
  | 'directory.overview'
  | 'directory.refresh'
  | 'directory.search'
  | 'directory.listing'
  | 'directory.suggestPseudonym'
  | 'directory.join'
  | 'directory.follow'
  | 'directory.unfollow'
  | 'groups.requestListing';

type ClientDirectory = KindredClient['directory'];
type KeptListing = Awaited<ReturnType<ClientDirectory['search']>>[number]['listing'];
type ListingDetails = Awaited<ReturnType<ClientDirectory['listing']>>;
type SyncResult = Awaited<ReturnType<ClientDirectory['refresh']>>[number];

/** What the last refresh of a directory came to, kept in memory while the vault is open. */
interface SyncOutcome {
  readonly refused: number;
  readonly failure: string | null;
}

/** Results a search shows at most: a person reads a page, not ten thousand cards. */
const SEARCH_RESULTS = 100;

/**
 * The directory in the window (docs/directory.md, docs/desktop.md "Find a community"): core's
 * `client.directory` does the work (anonymous fetches, checks, the vault's copy, the on-device
 * index); this turns its answers into the window's views. A search and an opened listing are
 * answered from the vault alone. What the last refresh refused, or why it failed, is remembered
 * per vault in memory, for "2 listings were not shown because they could not be checked".
 */
export function directoryHandlers(
  vault: () => UnlockedVault,
  onListsChanged: () => void,
): Pick<ApiHandlers, DirectoryMethod> {
  const outcomesByClient = new WeakMap<KindredClient, Map<string, SyncOutcome>>();
  const outcomesOf = (client: KindredClient): Map<string, SyncOutcome> => {
    let outcomes = outcomesByClient.get(client);
    if (outcomes === undefined) {
      outcomes = new Map();
      outcomesByClient.set(client, outcomes);
    }
    return outcomes;
  };
  const remember = (client: KindredClient, result: SyncResult): void => {
    const outcomes = outcomesOf(client);
    const before = outcomes.get(result.relayId);
    // A failed refresh changed nothing: the last count of refused entries still stands.
    outcomes.set(
      result.relayId,
      result.error === undefined
        ? { refused: result.refused, failure: null }
        : { refused: before?.refused ?? 0, failure: result.error.code },
    );
  };
  const overview = async (client: KindredClient): Promise<DirectoryOverviewView> =>
    overviewOf(client, outcomesOf(client));

  return {
    'directory.overview': async () => overview(vault().client),
    'directory.refresh': async () => {
      const { client } = vault();
      for (const result of await client.directory.refresh()) remember(client, result);
      return overview(client);
    },
    'directory.search': async (args) => {
      const { client } = vault();
      const home = await homeRelayId(client);
      const hits = await client.directory.search({
        ...searchQuery(args),
        limit: SEARCH_RESULTS,
      });
      const now = Date.now();
      return hits.map((hit) => cardView(hit.listing, home, now));
    },
    'directory.listing': async (args) => listingPage(vault(), args.groupId),
    'directory.suggestPseudonym': async () => {
      const personas = await vault().personas.list();
      const pseudonym = generatePseudonym(personas.map((persona) => persona.pseudonym));
      return { pseudonym: pseudonym ?? '' };
    },
    'directory.join': async (args) => {
      const unlocked = vault();
      const { client } = unlocked;
      const introduction =
        args.introduction === undefined ? {} : { introduction: args.introduction };
      let groupId: string;
      if (args.persona === 'fresh') {
        const handle = await client.directory.join(args.groupId, {
          ...(args.pseudonym === undefined ? {} : { pseudonym: args.pseudonym }),
          ...introduction,
        });
        groupId = handle.id;
      } else {
        // One of our personas: the listing's link, joined as that persona (core checks it is
        // ours, and the link's expiry).
        const listing = await client.directory.listing(args.groupId);
        const handle = await client.joinGroup(listing.joinLink, {
          persona: { address: args.persona },
          ...introduction,
        });
        groupId = handle.id;
      }
      onListsChanged();
      return unlocked.groups.details(groupConversationId(groupId));
    },
    'directory.follow': async (args) => {
      const { client } = vault();
      remember(client, await client.directory.follow(args.relayUrl));
      return overview(client);
    },
    'directory.unfollow': async (args) => {
      const { client } = vault();
      await client.directory.unfollow(args.relayUrl);
      return overview(client);
    },
    'groups.requestListing': async (args) => {
      const { handle } = await resolveGroup(vault().client, args.conversationId);
      await handle.requestListing({
        conditions: args.conditions,
        audiences: args.audiences,
        languages: args.languages,
        region: args.region,
        rhythm: args.rhythm,
        description: args.description,
      });
      return { sentAt: Date.now() };
    },
  };
}

async function overviewOf(
  client: KindredClient,
  outcomes: ReadonlyMap<string, SyncOutcome>,
): Promise<DirectoryOverviewView> {
  const follows = await client.directory.follows();
  // The filters offer what the kept listings hold: a language nobody lists finds nothing.
  const kept = await client.directory.search({ limit: Number.MAX_SAFE_INTEGER });
  const languages = new Set<string>();
  const regions = new Set<string>();
  for (const { listing } of kept) {
    for (const language of listing.languages) languages.add(language);
    if (listing.region !== '') regions.add(listing.region);
  }
  return {
    follows: follows.map((follow) => ({
      relayUrl: follow.relayUrl,
      homeRelay: follow.home,
      listings: follow.listings,
      refreshedAt: follow.lastSyncAt ?? null,
      refused: outcomes.get(follow.relayId)?.refused ?? 0,
      failure: outcomes.get(follow.relayId)?.failure ?? null,
    })),
    vocabulary: CONDITION_VOCABULARY.map((term) => ({
      id: term.id,
      name: term.name,
      synonyms: [...term.synonyms],
    })),
    languages: [...languages].sort(),
    regions: [...regions].sort(),
  };
}

function searchQuery(args: ApiParsedArgs<'directory.search'>): {
  text?: string;
  condition?: string;
  language?: string;
  audience?: ApiParsedArgs<'directory.search'>['audience'] & string;
  region?: string;
} {
  return {
    ...(args.text.trim() === '' ? {} : { text: args.text }),
    ...(args.condition === undefined ? {} : { condition: args.condition }),
    ...(args.language === undefined ? {} : { language: args.language }),
    ...(args.audience === undefined ? {} : { audience: args.audience }),
    ...(args.region === undefined ? {} : { region: args.region }),
  };
}

/** The vault's own relay's id (hex), from the directories followed. */
async function homeRelayId(client: KindredClient): Promise<string | undefined> {
  return (await client.directory.follows()).find((follow) => follow.home)?.relayId;
}

function conditionViews(conditions: readonly string[]): ListingConditionView[] {
  return conditions.map((condition) => {
    const term = CONDITION_VOCABULARY.find((entry) => entry.id === condition);
    return term === undefined ? { id: '', name: condition } : { id: term.id, name: term.name };
  });
}

function cardView(
  listing: KeptListing,
  homeRelay: string | undefined,
  now: number,
): ListingCardView {
  return {
    groupId: listing.groupId,
    name: listing.name,
    conditions: conditionViews(listing.conditions),
    audiences: [...listing.audiences],
    languages: [...listing.languages],
    region: listing.region,
    rhythm: listing.rhythm,
    members: listing.members,
    joinByApproval: listing.joinByApproval,
    joinable: listing.joinLinkExpiresAt > now,
    relayUrl: listing.relayUrl,
    homeRelay: listing.relayId === homeRelay,
  };
}

async function listingPage(unlocked: UnlockedVault, groupId: string): Promise<ListingPageView> {
  const { client } = unlocked;
  const details: ListingDetails = await client.directory.listing(groupId);
  const home = await homeRelayId(client);
  const card = cardView(details, home, Date.now());
  const valid = details.facilitatorCredentials.filter((credential) => credential.valid);
  return {
    ...card,
    joinable: details.openToJoin,
    description: details.description,
    facilitators: valid.map((credential) => ({ roleTitle: credential.roleTitle })),
    uncheckedFacilitators: details.facilitatorCredentials.length - valid.length,
    approvedAt: details.approvedAt,
    standing: await standingIn(client, details.groupId),
    personasOnRelay: await personasOn(unlocked, details.relayId),
  };
}

/** Whether a persona of this vault is in the group, or asked to be. */
async function standingIn(client: KindredClient, groupId: string): Promise<ListingStandingView> {
  const summary = (await client.groups()).find(
    (group) =>
      group.groupId === groupId && (group.status === 'active' || group.status === 'requested'),
  );
  if (summary === undefined) return { kind: 'none' };
  const conversationId = groupConversationId(groupId);
  return summary.status === 'requested'
    ? { kind: 'requested', conversationId }
    : { kind: 'member', conversationId };
}

/** Our personas registered on the relay whose id (hex) is `relayId`. */
async function personasOn(
  unlocked: UnlockedVault,
  relayId: string,
): Promise<{ address: string; pseudonym: string }[]> {
  const there = new Set(
    unlocked.client
      .sessions()
      .filter((session) => {
        const pin = session.relay.pin;
        return pin !== undefined && Buffer.from(pin.relayId).toString('hex') === relayId;
      })
      .map((session) => session.address),
  );
  return (await unlocked.personas.list())
    .filter((persona) => there.has(persona.address))
    .map((persona) => ({ address: persona.address, pseudonym: persona.pseudonym }));
}
