import { describe, expect, test } from 'vitest';
import { FrameCodec } from './transport.js';
import { splitText } from './bot-host.js';

function clientFrames(kind: 'full' | 'abridged' | 'intermediate', payloads: Buffer[]): Buffer {
  const tx = new FrameCodec();
  tx.kind = kind;
  const tag = kind === 'abridged' ? Buffer.from([0xef]) : kind === 'intermediate' ? Buffer.from('eeeeeeee', 'hex') : Buffer.alloc(0);
  return Buffer.concat([tag, ...payloads.map((p) => tx.encode(p))]);
}

describe('FrameCodec', () => {
  test.each(['full', 'abridged', 'intermediate'] as const)('%s: detects the transport, reassembles frames fed byte by byte', (kind) => {
    const payloads = [Buffer.alloc(8, 1), Buffer.alloc(4 * 200, 2), Buffer.alloc(4 * 70000, 3)];
    const stream = clientFrames(kind, payloads);
    const rx = new FrameCodec();
    const got: Buffer[] = [];
    for (let i = 0; i < stream.length; i += 997) got.push(...rx.push(stream.subarray(i, i + 997)));
    expect(rx.kind).toBe(kind);
    expect(got.map((g) => g.length)).toEqual(payloads.map((p) => p.length));
    expect(got[2]?.equals(payloads[2] as Buffer)).toBe(true);
  });

  test('full: a bad checksum throws', () => {
    const f = clientFrames('full', [Buffer.alloc(8, 1)]);
    f[f.length - 1] ^= 0xff;
    expect(() => new FrameCodec().push(f)).toThrow(/checksum/);
  });

  test('transport error frames', () => {
    const full = new FrameCodec().encodeError(-404);
    expect(full.length).toBe(12);
    expect(full.readInt32LE(8)).toBe(-404);
    const ab = new FrameCodec();
    ab.kind = 'abridged';
    expect([...ab.encodeError(-404)]).toEqual([1, ...Buffer.from([0x6c, 0xfe, 0xff, 0xff])]);
  });
});

describe('splitText', () => {
  test('parts rejoin to the text', () => {
    const t = 'one two three four five six seven eight nine ten';
    for (const n of [2, 3, 5]) {
      const parts = splitText(t, n);
      expect(parts.length).toBeLessThanOrEqual(n);
      expect(parts.length).toBeGreaterThan(1);
      expect(parts.join('')).toBe(t);
    }
    expect(splitText('ab', 5)).toEqual(['ab']);
  });
});
