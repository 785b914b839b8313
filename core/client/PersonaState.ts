import type { GroupRuleContext } from '../groups/GroupRules.js';
import type { Persona } from '../persona/Persona.js';
import { PersonaCipher } from '../signal/PersonaCipher.js';
import type { KeyValueStore } from '../storage/KeyValueStore.js';
import { ContactBook } from './ContactBook.js';
import { DeliveryKeys } from './DeliveryKeys.js';
import { ExpiringMessages } from './disappearing/ExpiringMessages.js';
import { ConversationTimers } from './disappearing/timers.js';
import { GroupStore } from './groups/GroupStore.js';
import { IssuedInvites } from './IssuedInvites.js';
import { MessageHistory } from './direct/MessageHistory.js';
import { Outbox } from './Outbox.js';
import { MessageRequestStore } from './requests/MessageRequestStore.js';
import { SerialQueue } from '../concurrency/SerialQueue.js';
import { StagedKeyValueStore } from './StagedKeyValueStore.js';
import { JournalRecords } from './journal/JournalRecords.js';
import { SearchIndex } from './search/SearchIndex.js';

/**
 * Everything one persona keeps, over one staged view of its vault scope, and the one way to change
 * it: `transact`, which runs steps one at a time and commits each step's writes in a single batch
 * (or none of them if the step throws). The libsignal stores live in the same scope, so a step
 * that decrypts a message and stores it lands whole.
 */
export class PersonaState {
  readonly persona: Persona;
  readonly cipher: PersonaCipher;
  readonly contacts: ContactBook;
  readonly history: MessageHistory;
  readonly outbox: Outbox;
  readonly invites: IssuedInvites;
  /** The delivery keys this persona handed out (per contact, invite link, group membership). */
  readonly deliveryKeys: DeliveryKeys;
  readonly groups: GroupStore;
  /** Every text of every conversation, searchable; written in the same steps as the messages. */
  readonly search: SearchIndex;
  readonly store: StagedKeyValueStore;
  /** Each 1:1 conversation's disappearing timer. */
  readonly timers: ConversationTimers;
  /** Stored messages with an expiry, for the sweeper (written by both stores). */
  readonly expiring: ExpiringMessages;
  /** What the group rules are applied with here (a lowered disappearing minimum, in tests). */
  readonly ruleContext: GroupRuleContext;
  /** What this persona is in a journal, and a journal's updates (docs/journal.md). */
  readonly journal: JournalRecords;
  /** Fellow members' message requests, held until accepted (docs/messages.md). */
  readonly requests: MessageRequestStore;
  readonly #queue = new SerialQueue();

  constructor(persona: Persona, scope: KeyValueStore, ruleContext: GroupRuleContext = {}) {
    this.persona = persona;
    this.ruleContext = ruleContext;
    this.store = new StagedKeyValueStore(scope);
    this.timers = new ConversationTimers(this.store);
    this.expiring = new ExpiringMessages(this.store);
    this.cipher = new PersonaCipher(persona, this.store);
    this.contacts = new ContactBook(this.store);
    this.search = new SearchIndex(this.store);
    this.history = new MessageHistory(this.store, persona.address, this.search, this.expiring);
    this.outbox = new Outbox(this.store);
    this.invites = new IssuedInvites(this.store);
    this.deliveryKeys = new DeliveryKeys(this.store);
    this.groups = new GroupStore(this.store, this.search, this.expiring, ruleContext);
    this.journal = new JournalRecords(this.store);
    this.requests = new MessageRequestStore(this.store);
  }

  /** Runs `step` after every earlier step; commits its writes if it returns, drops them if not. */
  transact<T>(step: () => Promise<T>): Promise<T> {
    return this.#queue.run(async () => {
      try {
        const result = await step();
        await this.store.commit();
        this.groups.commitStaged();
        return result;
      } catch (error) {
        this.store.discard();
        this.groups.discardStaged();
        throw error;
      }
    });
  }
}
