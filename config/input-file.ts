// Files people hand to jianguan (plans, Update payloads, risk signals, candidate pools, recorded draws): read bounded in
// size before they are read whole, decoded from what Chinese office software writes, and parsed with bounded nesting,
// so that bad input gets one message naming the file and where in it, never an out-of-memory, a stack overflow shown
// as a syntax error, or text with U+FFFD stored in the ledger.
import { closeSync, openSync, readSync } from 'node:fs';
import { Composer, Lexer, LineCounter, Parser, type CST, type YAMLError } from 'yaml';
import type { Problem } from '../domain/validation';

export const MiB = 1024 * 1024;
/** YAML costs about 60 times its size in memory while it is composed (JSON about 3 times): a bound of its own. */
export const YAML_MAX_BYTES = 5 * MiB;
/** Nesting a plan or payload never needs (a plan nests 6 levels); the YAML composer overflows its stack at about 800. */
export const MAX_DEPTH = 64;
/** yaml's guard against alias expansion ("billion laughs"), stated rather than left to the default. */
export const MAX_ALIAS_COUNT = 100;

/** A file that cannot be taken as it is; the message starts with the file name. */
export class InputFileError extends Error {
  override name = 'InputFileError';
}

/** `5 MiB`, `1.4 MiB`, `800 KiB`. */
export function formatSize(bytes: number): string {
  if (bytes >= MiB) return `${Number((bytes / MiB).toFixed(1))} MiB`;
  return `${Math.ceil(bytes / 1024)} KiB`;
}

/**
 * The bytes of `file`, refused as soon as there are more than `maxBytes` (a pipe or a growing file included). Read
 * synchronously: these are a command's input files, and a plan read by a worker is then parsed synchronously anyway.
 */
export function readBounded(file: string, maxBytes: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const buffer = Buffer.allocUnsafe(Math.min(maxBytes + 1, MiB));
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) {
      total += n;
      if (total > maxBytes) throw new InputFileError(`${file} is larger than ${formatSize(maxBytes)}, the limit for this file`);
      chunks.push(Buffer.from(buffer.subarray(0, n)));
    }
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    throw new InputFileError(`cannot read ${file} (${(error as Error).message})`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return Buffer.concat(chunks);
}

/** 1-based line of a byte offset: 0x0A is a line feed in UTF-8 and GB18030 alike (never part of a longer sequence). */
function lineOfByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

function decoded(encoding: string, bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * The text of a file's bytes: UTF-8 (a byte-order mark dropped), UTF-16 with a byte-order mark, otherwise GB18030 (a
 * superset of GBK, what Chinese office software saves as "ANSI"). Bytes valid in neither are refused with the first
 * offending offset and line; so is U+FFFD in the text, the mark of a character already lost by an earlier conversion.
 */
export function decodeText(bytes: Uint8Array, source: string): string {
  const utf16 = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : undefined;
  const text = utf16 ? decoded(utf16, bytes) : (decoded('utf-8', bytes) ?? decoded('gb18030', bytes));
  if (text === undefined) {
    if (utf16) throw new InputFileError(`${source} starts with a UTF-16 byte-order mark but is not valid UTF-16: save it as UTF-8`);
    // The bytes before the first invalid sequence are valid UTF-8, so they re-encode to exactly that many bytes.
    const lenient = new TextDecoder('utf-8').decode(bytes);
    const offset = Buffer.byteLength(lenient.slice(0, lenient.indexOf('\uFFFD')));
    const byte = bytes[offset]!.toString(16).toUpperCase().padStart(2, '0');
    throw new InputFileError(
      `${source} is neither UTF-8 nor GBK/GB18030: byte 0x${byte} at offset ${offset} (line ${lineOfByte(bytes, offset)}) is invalid in both; save it as UTF-8`,
    );
  }
  const lost = text.indexOf('\uFFFD');
  if (lost >= 0) {
    const line = text.slice(0, lost).split('\n').length;
    throw new InputFileError(
      `${source} contains U+FFFD on line ${line}, a character lost by an earlier conversion: correct it from the original`,
    );
  }
  return text;
}

/** A text file of at most `maxBytes`, decoded (decodeText). Throws InputFileError. */
export function readTextFile(file: string, maxBytes: number): string {
  return decodeText(readBounded(file, maxBytes), file);
}

/** A YAML (or JSON) document that cannot be read: syntax errors, or a limit above; each problem at its position. */
export class YamlError extends Error {
  override name = 'YamlError';
  constructor(
    readonly problems: Problem[],
    /** Whether the problems are syntax errors (else a limit was passed). */
    readonly syntax: boolean,
  ) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  }
}

const tooDeep = (where: string) => new YamlError([{ path: where, message: `nested deeper than ${MAX_DEPTH} levels` }], false);

const isCollection = (token: { type: string }) =>
  token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection';

/** `line 3, column 5` of an offset. */
function position(lines: LineCounter, offset: number): string {
  const at = lines.linePos(offset);
  return `line ${at.line}, column ${at.col}`;
}

/**
 * The syntax tree of YAML text, refused as soon as its collections nest deeper than MAX_DEPTH, at the one that does:
 * the parser iterates and holds its open tokens on a stack (never more than a few longer than that), while the
 * composer that builds the document recurses and would overflow.
 */
function syntaxTree(text: string, lines: LineCounter): CST.Token[] {
  const parser = new Parser(lines.addNewLine);
  lines.addNewLine(0);
  const tokens: CST.Token[] = [];
  for (const lexeme of new Lexer().lex(text)) {
    const start = parser.offset;
    tokens.push(...parser.next(lexeme));
    if (parser.stack.filter(isCollection).length > MAX_DEPTH) throw tooDeep(position(lines, start));
  }
  tokens.push(...parser.end());
  return tokens;
}

/** The same for a parsed JSON value (lists and mappings nested), walked without recursion. */
function checkValueDepth(value: unknown): void {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > MAX_DEPTH) throw tooDeep('(root)');
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
}

/** A document beyond YAML_MAX_BYTES: JSON only, which JSON.parse reads in a twentieth of the memory and time. */
function parseLargeJson(text: string, bytes: number): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Not JSON.parse's message: it quotes the text, which may name people.
    const message = `YAML is read up to ${formatSize(YAML_MAX_BYTES)}; this is ${formatSize(bytes)} and not valid JSON: give it as JSON or CSV`;
    throw new YamlError([{ path: '(file)', message }], false);
  }
  checkValueDepth(value);
  return value;
}

/**
 * Parses one YAML document (of which JSON is a subset) bounded in nesting and aliases; a document larger than
 * YAML_MAX_BYTES must be JSON. Throws YamlError with every problem at its position (`line 3, column 5`).
 */
export function parseYaml(text: string): unknown {
  const bytes = Buffer.byteLength(text);
  if (bytes > YAML_MAX_BYTES) return parseLargeJson(text, bytes);
  const lines = new LineCounter();
  // One document, as YAML.parseDocument reads it, composed from the tree already parsed.
  const [doc, ...more] = new Composer().compose(syntaxTree(text, lines), true, text.length);
  const problem = (e: YAMLError) => ({ path: position(lines, e.pos[0]), message: e.message });
  const problems = doc!.errors.map(problem);
  if (more.length > 0) problems.push({ path: position(lines, more[0]!.range[0]), message: 'a second document: a file holds one' });
  if (problems.length > 0) throw new YamlError(problems, true);
  try {
    return doc!.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    // yaml's refusal of an alias expanding too far, or of an alias to an anchor not defined before it.
    throw new YamlError([{ path: '(root)', message: `${error.message} (aliases are limited to ${MAX_ALIAS_COUNT} expansions)` }], false);
  }
}
