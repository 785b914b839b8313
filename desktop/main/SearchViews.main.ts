import type { KindredClient } from '../../core/client/index.js';
import { markSnippet } from '../../core/client/index.js';
import type { ConversationId, MessageView, SearchResultView } from '../shared/api.std.js';
import { contactConversationId, groupConversationId } from './conversationId.std.js';
import type { ConversationTarget } from './conversationTargets.main.js';
import { resolveConversation } from './conversationTargets.main.js';
import { contactMessageViews, contactName, groupMessageViews } from './messageViews.main.js';
import { coverSearchResult } from './contentWarningViews.main.js';

/**
 * The search.* call: KindredClient.search over every persona's index, each hit named the way the
 * window names things (its conversation id and title, the author's name) with the matched words
 * of its snippet marked. Hits whose conversation or message this vault no longer shows are left
 * out.
 */
export class SearchViews {
  readonly #client: KindredClient;

  constructor(client: KindredClient) {
    this.#client = client;
  }

  async query(query: string, limit: number): Promise<SearchResultView[]> {
    const hits = await this.#client.search(query, { limit });
    const conversations = new Map<ConversationId, Conversation | undefined>();
    const results: SearchResultView[] = [];
    for (const hit of hits) {
      const id = windowConversationId(hit.persona, hit.conversation);
      if (id === undefined) continue;
      if (!conversations.has(id)) conversations.set(id, await this.#open(id));
      const conversation = conversations.get(id);
      const message = conversation?.messages.get(hit.messageId);
      if (conversation === undefined || message === undefined || message.deleted) continue;
      const result: SearchResultView = {
        conversationId: id,
        kind: conversation.target.kind,
        title: conversation.title,
        messageId: hit.messageId,
        author: { name: message.author.name, self: message.author.self },
        sentAt: hit.sentAt,
        snippet: markSnippet(hit.snippet, query),
      };
      // A warned message is found, but shown covered: its warning, never its words.
      results.push(coverSearchResult(result, message.warning));
    }
    return results;
  }

  async #open(id: ConversationId): Promise<Conversation | undefined> {
    let target: ConversationTarget;
    try {
      target = await resolveConversation(this.#client, id);
    } catch {
      return undefined;
    }
    let title: string;
    let views: MessageView[];
    if (target.kind === 'contact') {
      title = contactName(target.contact);
      views = contactMessageViews(
        await target.session.direct.messages(target.contact.address),
        target.self,
        target.other,
      );
    } else {
      const [details, messages, log] = await Promise.all([
        target.handle.details(),
        target.handle.messages(),
        target.handle.log(),
      ]);
      title = details.name;
      views = groupMessageViews(messages, log, target.handle.persona);
    }
    const messages = new Map<string, MessageView>();
    for (const view of views) if (view.kind === 'message') messages.set(view.id, view);
    return { target, title, messages };
  }
}

interface Conversation {
  readonly target: ConversationTarget;
  readonly title: string;
  readonly messages: ReadonlyMap<string, MessageView>;
}

/** The window's id of the conversation the index calls `direct:<address>` or `group:<hex>`. */
function windowConversationId(persona: string, conversation: string): ConversationId | undefined {
  if (conversation.startsWith('direct:')) {
    return contactConversationId(persona, conversation.slice('direct:'.length));
  }
  if (conversation.startsWith('group:')) {
    return groupConversationId(conversation.slice('group:'.length));
  }
  return undefined;
}
