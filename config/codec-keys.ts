// The payload-encryption keys as an operator writes them: `id:base64key` entries, separated by commas or line breaks
// (JIANGUAN_CODEC_KEYS, or the file JIANGUAN_CODEC_KEYS_FILE). The first key encrypts new payloads; the others only
// decrypt, which is how a key is rotated: put the new key first and keep the old ones while histories still hold
// payloads encrypted under them. Key material never appears in a message, only key ids.

/** AES-256: exactly 32 bytes of key. */
export const CODEC_KEY_BYTES = 32;

/** Key ids go into every payload's metadata and into messages: short, printable, no secrets. */
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export interface CodecKey {
  id: string;
  key: Buffer;
}

/** One `id:base64key` entry: the key, or what is wrong with it (naming the entry and its id, never its key). */
function parseEntry(entry: string, where: string, seen: CodecKey[]): CodecKey | string {
  const colon = entry.indexOf(':');
  if (colon < 0) return `${where}: expected "id:base64key"`;
  const id = entry.slice(0, colon).trim();
  const material = entry.slice(colon + 1).trim();
  if (!KEY_ID.test(id)) return `${where}: key id ${JSON.stringify(id.slice(0, 70))} is not 1-64 of A-Z a-z 0-9 . _ -`;
  if (seen.some((k) => k.id === id)) return `${where}: key id "${id}" is given twice`;
  const key = BASE64.test(material) ? Buffer.from(material, 'base64') : undefined;
  if (key?.length !== CODEC_KEY_BYTES)
    return `key "${id}": expected ${CODEC_KEY_BYTES} bytes in base64 (e.g. \`openssl rand -base64 32\`), got ${key ? `${key.length} bytes` : 'no valid base64'}`;
  return { id, key };
}

/**
 * Parses a key list. Blank lines and lines starting with `#` are skipped, so a key file may carry comments (e.g. when
 * each key was added).
 */
export function parseCodecKeys(text: string): { keys: CodecKey[]; problems: string[] } {
  const keys: CodecKey[] = [];
  const problems: string[] = [];
  // Comment lines go first: a comma inside one must not make an entry of its remainder.
  const entries = text
    .split(/\r?\n/)
    .filter((line) => !line.trim().startsWith('#'))
    .flatMap((line) => line.split(','))
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  entries.forEach((entry, index) => {
    const parsed = parseEntry(entry, `key #${index + 1}`, keys);
    if (typeof parsed === 'string') problems.push(parsed);
    else keys.push(parsed);
  });
  if (entries.length === 0) problems.push('no key given: expected "id:base64key", the key for new payloads first');
  return { keys, problems };
}
