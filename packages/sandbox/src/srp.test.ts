import { describe, expect, test } from 'vitest';
import { Api } from 'teleproto';
import { computeCheck } from 'teleproto/Password.js';
import bigInt from 'big-integer';
import { makeChallenge, makeVerifier, SRP_G, SRP_P, verifyProof } from './srp.js';

async function proof(password: string, ver: ReturnType<typeof makeVerifier>, B: Buffer): Promise<Api.InputCheckPasswordSRP> {
  const req = new Api.account.Password({
    hasPassword: true,
    currentAlgo: new Api.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow({ salt1: ver.salt1, salt2: ver.salt2, g: SRP_G, p: SRP_P }),
    srp_B: B,
    srpId: bigInt(1),
    newAlgo: new Api.PasswordKdfAlgoUnknown(),
    newSecureAlgo: new Api.SecurePasswordKdfAlgoUnknown(),
    secureRandom: Buffer.alloc(32),
  });
  return (await computeCheck(req, password)) as Api.InputCheckPasswordSRP;
}

describe('SRP (server side) against gramjs computeCheck', () => {
  test('the right password verifies, a wrong one does not', async () => {
    const ver = makeVerifier('hunter2');
    const ch = makeChallenge(ver);
    const good = await proof('hunter2', ver, ch.B);
    expect(verifyProof(ver, ch, good.A, good.M1)).toBe(true);
    const ch2 = makeChallenge(ver);
    const bad = await proof('hunter3', ver, ch2.B);
    expect(verifyProof(ver, ch2, bad.A, bad.M1)).toBe(false);
    // a proof is bound to its challenge
    expect(verifyProof(ver, ch2, good.A, good.M1)).toBe(false);
  });
});
