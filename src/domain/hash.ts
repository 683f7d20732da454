import { createHash, hash } from 'node:crypto';

/**
 * SHA-1 of a string's UTF-8 bytes, base64url: record fingerprints and abstract keys. The
 * one-shot `crypto.hash` (Node 20.12+) saves making a Hash object for each of millions of
 * records; older Nodes take the object.
 */
export const sha1: (text: string) => string =
  typeof hash === 'function'
    ? (text) => hash('sha1', text, 'base64url')
    : (text) => createHash('sha1').update(text).digest('base64url');
