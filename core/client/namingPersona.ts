import type { EmitClientEvent, EmitTaggedEvent, PersonaEvents } from './clientEvents.js';

/** Names the persona in each event its parts report, and passes it on to the client. */
export function namingPersona(persona: string, emit: EmitTaggedEvent): EmitClientEvent {
  const forward: { [K in keyof PersonaEvents]: (value: PersonaEvents[K]) => void } = {
    message: (value) => {
      emit('message', { ...value, persona });
    },
    gap: (value) => {
      emit('gap', { ...value, persona });
    },
    contactAdded: (value) => {
      emit('contactAdded', { ...value, persona });
    },
    sent: (value) => {
      emit('sent', { ...value, persona });
    },
    sendFailed: (value) => {
      emit('sendFailed', { ...value, persona });
    },
    reaction: (value) => {
      emit('reaction', { ...value, persona });
    },
    identityMismatch: (value) => {
      emit('identityMismatch', { ...value, persona });
    },
    dropped: (value) => {
      emit('dropped', { ...value, persona });
    },
    expired: (value) => {
      emit('expired', { ...value, persona });
    },
    sessionRenewed: (value) => {
      emit('sessionRenewed', { ...value, persona });
    },
    contactRefused: (value) => {
      emit('contactRefused', { ...value, persona });
    },
    receipt: (value) => {
      emit('receipt', { ...value, persona });
    },
    messageRequest: (value) => {
      emit('messageRequest', { ...value, persona });
    },
    connection: (connected) => {
      emit('personaConnection', { persona, connected });
    },
    error: (error) => {
      emit('error', error);
    },
    groupMessage: (value) => {
      emit('groupMessage', { ...value, persona });
    },
    groupReaction: (value) => {
      emit('groupReaction', { ...value, persona });
    },
    groupOperation: (value) => {
      emit('groupOperation', { ...value, persona });
    },
    groupWarning: (value) => {
      emit('groupWarning', { ...value, persona });
    },
    groupReport: (value) => {
      emit('groupReport', { ...value, persona });
    },
    groupSent: (value) => {
      emit('groupSent', { ...value, persona });
    },
    groupSendFailed: (value) => {
      emit('groupSendFailed', { ...value, persona });
    },
    groupKey: (value) => {
      emit('groupKey', { ...value, persona });
    },
    attachmentProgress: (value) => {
      emit('attachmentProgress', { ...value, persona });
    },
    attachment: (value) => {
      emit('attachment', { ...value, persona });
    },
    groupSessionRenewed: (value) => {
      emit('groupSessionRenewed', { ...value, persona });
    },
    messageChanged: (value) => {
      emit('messageChanged', { ...value, persona });
    },
    groupMessageChanged: (value) => {
      emit('groupMessageChanged', { ...value, persona });
    },
  };
  return (event, value) => {
    forward[event](value);
  };
}
