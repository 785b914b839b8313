/**
 * The directory's calls (docs/directory.md, docs/desktop.md "Find a community"): their args,
 * checked in main like every call, and their results. Spread into api.std.ts's apiSchemas and
 * ApiResults. Searching is answered by main from the vault's copy: nothing of it reaches a relay.
 */
import { z } from 'zod';
import type { GroupView } from './apiViews.std.js';
import {
  LISTING_AUDIENCES,
  LISTING_FORM_LIMITS,
  type DirectoryOverviewView,
  type ListingCardView,
  type ListingPageView,
  type ListingRequestView,
} from './directoryViews.std.js';

const groupId = z.string().regex(/^[0-9a-f]{32}$/u, 'a group id is 32 hex characters');
const audience = z.enum(LISTING_AUDIENCES);
const relayUrl = z.string().trim().min(1).max(2048);
/** Core checks tags and codes exactly (CORE_LISTING_INVALID); here only the shape. */
const languageTag = z.string().trim().min(2).max(35);
const regionCode = z.string().trim().max(10);

export const directorySchemas = {
  /** The follows, the condition vocabulary and the filters' choices. */
  'directory.overview': z.object({}),
  /** Fetches every followed directory again (anonymously); refused entries are counted. */
  'directory.refresh': z.object({}),
  /** Searches the vault's copy on this device: words (may be ''), and optional filters. */
  'directory.search': z.object({
    text: z.string().max(200),
    condition: z.string().trim().min(1).max(LISTING_FORM_LIMITS.conditionLength).optional(),
    language: languageTag.optional(),
    audience: audience.optional(),
    region: regionCode.optional(),
  }),
  'directory.listing': z.object({ groupId }),
  /** A generated pseudonym for a fresh persona, unlike every persona of this vault. */
  'directory.suggestPseudonym': z.object({}),
  /** Asks to join (or joins, for an open group) with the listing's join link. */
  'directory.join': z.object({
    groupId,
    persona: z.union([z.literal('fresh'), z.string().min(1).max(200)]),
    pseudonym: z.string().trim().min(1).max(64).optional(),
    introduction: z.string().trim().min(1).max(LISTING_FORM_LIMITS.introductionLength).optional(),
  }),
  /** Follows another relay's directory by address, pinning its trust root on first use. */
  'directory.follow': z.object({ relayUrl }),
  'directory.unfollow': z.object({ relayUrl }),
  /** The group's owner asks its relay's operator to list it. */
  'groups.requestListing': z.object({
    conversationId: z.string().min(3).max(200),
    description: z.string().max(LISTING_FORM_LIMITS.descriptionLength),
    conditions: z
      .array(z.string().trim().min(1).max(LISTING_FORM_LIMITS.conditionLength))
      .min(1)
      .max(LISTING_FORM_LIMITS.conditions),
    audiences: z.array(audience).min(1).max(LISTING_AUDIENCES.length),
    languages: z.array(languageTag).min(1).max(LISTING_FORM_LIMITS.languages),
    region: regionCode,
    rhythm: z.string().trim().max(LISTING_FORM_LIMITS.rhythmLength),
  }),
} as const;

export interface DirectoryResults {
  'directory.overview': DirectoryOverviewView;
  'directory.refresh': DirectoryOverviewView;
  'directory.search': ListingCardView[];
  'directory.listing': ListingPageView;
  'directory.suggestPseudonym': { pseudonym: string };
  'directory.join': GroupView;
  'directory.follow': DirectoryOverviewView;
  'directory.unfollow': DirectoryOverviewView;
  'groups.requestListing': ListingRequestView;
}
