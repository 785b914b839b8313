// Attachments on the device: metadata scrubbing, previews, streaming encryption and the pointer
// that carries the key inside the end-to-end encrypted message. docs/attachments.md.
export * from './AttachmentCipher.js';
export * from './AttachmentPointer.js';
export * from './fileType.js';
export * from './imageLimits.js';
export * from './makePreview.js';
export * from './neutralFileName.js';
export * from './removedMetadata.js';
export * from './scrubMetadata.js';
