// C2SP signed-note: a UTF-8 text ending in a newline, a blank line, then one or more signature
// lines "— <key name> <base64(4-byte key ID || signature)>\n".
import { decodeBase64Strict, encodeBase64 } from './bytes.js';
import { MerkleError } from './errors.js';

/** One signature line of a signed note. */
export interface NoteSignature {
  /** The key name (no spaces, no "+"). */
  name: string;
  /** The 4-byte key ID ("key hash") that selects the verifier among keys of the same name. */
  keyId: Uint8Array;
  /** The signature bytes proper (after the key ID). */
  signature: Uint8Array;
}

/** Upper bound on signature lines accepted by `parseSignedNote` (as golang.org/x/mod/sumdb/note). */
export const MAX_NOTE_SIGNATURES = 100;
const SIG_PREFIX = '\u2014 ';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True iff the string encodes to valid UTF-8 (no lone surrogates). */
function isWellFormed(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}

/** True iff `name` is a valid key name: non-empty, no Unicode whitespace, no "+" (C2SP signed-note). */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name) && isWellFormed(name);
}

function checkText(text: string, code: 'BAD_NOTE'): void {
  if (!text.endsWith('\n')) throw new MerkleError(code, 'note text must end with a newline');
  if (!isWellFormed(text)) throw new MerkleError(code, 'note text is not valid UTF-8');
  // The spec forbids control characters other than newline in the text.
  if (/[\u0000-\u0009\u000b-\u001f\u007f]/.test(text)) {
    throw new MerkleError(code, 'note text contains a control character');
  }
}

/**
 * Formats a signed note: `text` + "\n" + one line per signature.
 * @throws MerkleError `BAD_NOTE` if the text does not end in "\n" or contains control characters,
 *   a name is invalid, a key ID is not 4 bytes, or there are no signatures.
 */
export function formatSignedNote(text: string, sigs: NoteSignature[]): string {
  checkText(text, 'BAD_NOTE');
  if (sigs.length === 0) throw new MerkleError('BAD_NOTE', 'a signed note needs at least one signature');
  const lines = sigs.map((s) => {
    if (!isValidKeyName(s.name)) throw new MerkleError('BAD_NOTE', `bad key name ${JSON.stringify(s.name)}`);
    if (s.keyId.length !== 4) throw new MerkleError('BAD_NOTE', 'a note key ID is 4 bytes');
    const blob = new Uint8Array(4 + s.signature.length);
    blob.set(s.keyId);
    blob.set(s.signature, 4);
    return `${SIG_PREFIX}${s.name} ${encodeBase64(blob)}\n`;
  });
  return `${text}\n${lines.join('')}`;
}

/**
 * Splits a signed note into its text (with its final newline) and signatures. The text ends at
 * the LAST blank line, so the text itself may contain blank lines. Signatures are not verified.
 * @throws MerkleError `BAD_NOTE` for a missing blank line, a malformed signature line, more than
 *   `MAX_NOTE_SIGNATURES` signatures, or a text that breaks the signed-note rules.
 */
export function parseSignedNote(note: string): { text: string; signatures: NoteSignature[] } {
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new MerkleError('BAD_NOTE', 'no blank line before the signatures');
  const text = note.slice(0, split + 1);
  checkText(text, 'BAD_NOTE');
  const block = note.slice(split + 2);
  if (!block.endsWith('\n')) throw new MerkleError('BAD_NOTE', 'signature block must end with a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) throw new MerkleError('BAD_NOTE', 'too many signatures');
  return { text, signatures: lines.map(parseSignatureLine) };
}

function parseSignatureLine(line: string): NoteSignature {
  const m = /^\u2014 (\S+) (\S+)$/u.exec(line);
  if (!m || !isValidKeyName(m[1]!)) throw new MerkleError('BAD_NOTE', `malformed signature line ${JSON.stringify(line)}`);
  const blob = decodeBase64Strict(m[2]!);
  if (!blob || blob.length < 5) throw new MerkleError('BAD_NOTE', `bad signature encoding for ${m[1]}`);
  return { name: m[1]!, keyId: blob.slice(0, 4), signature: blob.slice(4) };
}
