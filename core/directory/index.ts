export * from './directoryListing.js';
export * from './facilitatorCredential.js';
export * from './operatorKeyEndorsement.js';
