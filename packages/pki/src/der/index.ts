// The DER codec of @signet/pki, exported as the `der` namespace.
export * from './writer.js';
export * from './reader.js';
