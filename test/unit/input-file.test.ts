// Reading the files people hand to jianguan (config/input-file.ts): bounded before they are read whole, decoded from
// UTF-8, UTF-16 with a byte-order mark and GBK/GB18030 or refused with the offset and line, YAML bounded in nesting.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeText, InputFileError, parseYaml, readBounded, YamlError } from '../../config/input-file';

const dir = mkdtempSync(path.join(tmpdir(), 'jianguan-input-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const corpus = (name: string) => readFileSync(path.resolve(__dirname, '../bad-input/files', name));
const MiB = 1024 * 1024;

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a refusal');
}

describe('readBounded', () => {
  it('stops reading at the limit: an endless file is refused, not read', () => {
    const error = thrown(() => readBounded('/dev/zero', MiB));
    expect(error).toBeInstanceOf(InputFileError);
    expect(error.message).toBe('/dev/zero is larger than 1 MiB, the limit for this file');
  });

  it('takes a file of exactly the limit, refuses one byte more, and names a file it cannot read', () => {
    const file = path.join(dir, 'limit.txt');
    writeFileSync(file, Buffer.alloc(1000, 0x61));
    expect(readBounded(file, 1000)).toHaveLength(1000);
    expect(() => readBounded(file, 999)).toThrow(`${file} is larger than 1 KiB, the limit for this file`);
    expect(() => readBounded(path.join(dir, 'none.txt'), 1000)).toThrow(/^cannot read .*none\.txt \(ENOENT/);
    expect(() => readBounded(dir, 1000)).toThrow(/^cannot read .* \(EISDIR/);
  });
});

describe('decodeText', () => {
  it('reads UTF-8 with or without a byte-order mark, and UTF-16 with one', () => {
    expect(decodeText(Buffer.from('清溪区,H001'), 'f')).toBe('清溪区,H001');
    expect(decodeText(Buffer.from('\uFEFF清溪区'), 'f')).toBe('清溪区');
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('清溪区\n', 'utf16le')]), 'f')).toBe('清溪区\n');
    expect(decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('清溪区', 'utf16le').swap16()]), 'f')).toBe('清溪区');
  });

  it('reads GBK and GB18030 (four-byte characters too), which are not UTF-8', () => {
    const gbk = corpus('risk-gbk.csv');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gbk)).toThrow();
    expect(decodeText(gbk, 'f')).toContain('H34990100003,clue,清医保线索〔2027〕012号,2027-03-07,"群众举报：挂床住院, 虚开检查"');
    expect(decodeText(corpus('risk-gb18030.csv'), 'f')).toContain('举报人称医生𠮷某串换药品');
  });

  it('refuses bytes valid in neither, with the first bad offset and its line; and an invalid UTF-16 file', () => {
    const bytes = Buffer.concat([Buffer.from('a,b\n清溪\n'), Buffer.from([0x80, 0xff]), Buffer.from('\n')]);
    expect(thrown(() => decodeText(bytes, 'x.csv')).message).toBe(
      'x.csv is neither UTF-8 nor GBK/GB18030: byte 0x80 at offset 11 (line 3) is invalid in both; save it as UTF-8',
    );
    expect(() => decodeText(Buffer.from([0xff, 0xfe, 0x41]), 'odd.csv')).toThrow(
      'odd.csv starts with a UTF-16 byte-order mark but is not valid UTF-16: save it as UTF-8',
    );
  });

  it('refuses U+FFFD, a character already lost, naming its line', () => {
    expect(() => decodeText(Buffer.from('a\nb\n\uFFFD'), 'x.csv')).toThrow(
      'x.csv contains U+FFFD on line 3, a character lost by an earlier conversion: correct it from the original',
    );
  });
});

describe('parseYaml', () => {
  /** A list in a list … `levels` deep, a number innermost. */
  const nested = (levels: number) => `${'['.repeat(levels)}1${']'.repeat(levels)}`;
  const problem = (text: string) => {
    const error = thrown(() => parseYaml(text));
    expect(error).toBeInstanceOf(YamlError);
    return (error as YamlError).problems;
  };

  it('takes 64 levels and refuses 65, YAML or a JSON file beyond the YAML bound alike', () => {
    expect(parseYaml(`a: ${nested(63)}`)).toEqual({ a: JSON.parse(nested(63)) });
    expect(problem(`a: ${nested(64)}`)).toEqual([{ path: 'line 1, column 67', message: 'nested deeper than 64 levels' }]);
    expect(problem(`${'- '.repeat(100_000)}x`)).toEqual([{ path: 'line 1, column 129', message: 'nested deeper than 64 levels' }]);
    const padding = ' '.repeat(5 * MiB);
    expect(parseYaml(`${nested(64)}${padding}`)).toEqual(JSON.parse(nested(64)));
    expect(problem(`${nested(65)}${padding}`)).toEqual([{ path: '(root)', message: 'nested deeper than 64 levels' }]);
  });

  it('refuses YAML beyond 5 MiB that is not JSON, and reports syntax errors at their position', () => {
    expect(problem(`a: b\n#${' '.repeat(5 * MiB)}`)).toEqual([
      expect.objectContaining({
        path: '(file)',
        message: 'YAML is read up to 5 MiB; this is 5 MiB and not valid JSON: give it as JSON or CSV',
      }),
    ]);
    const error = thrown(() => parseYaml('a: [1, 2\n'));
    expect((error as YamlError).syntax).toBe(true);
    expect((error as YamlError).problems[0]!.path).toMatch(/^line \d+, column \d+$/);
  });
});
