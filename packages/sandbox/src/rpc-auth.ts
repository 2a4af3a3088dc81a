/**
 * RPCs allowed before login: config, and the login flow (auth.sendCode → auth.signIn → 2FA via
 * account.getPassword + auth.checkPassword with real SRP).
 */
import { randomBytes, randomInt } from 'node:crypto';
import { Api, long, type TlObject } from './tl.js';
import { tlUser } from './tl-build.js';
import { RpcFail, type RpcContext, type UnauthHandler } from './rpc-context.js';
import { makeChallenge, SRP_G, SRP_P, verifyProof } from './srp.js';

const CODE_TTL_MS = 5 * 60_000;

function authorize(ctx: RpcContext, userId: string): Buffer {
  const u = ctx.world.users.get(userId);
  if (!u) throw new RpcFail(400, 'USER_ID_INVALID');
  ctx.key.userId = userId;
  ctx.key.pendingPasswordFor = undefined;
  ctx.key.srp = undefined;
  ctx.log.info({ userId }, 'sandbox: user signed in');
  return new Api.auth.Authorization({ user: tlUser(u, userId) }).getBytes();
}

function takeCode(ctx: RpcContext, req: TlObject): string {
  const phone = String(req.phoneNumber ?? '');
  const hash = String(req.phoneCodeHash ?? '');
  const pending = ctx.login.codes.get(hash);
  if (!hash) throw new RpcFail(400, 'PHONE_CODE_HASH_EMPTY');
  if (!pending || Date.now() - pending.at > CODE_TTL_MS) throw new RpcFail(400, 'PHONE_CODE_EXPIRED');
  if (pending.phone.replace(/\D/g, '') !== phone.replace(/\D/g, '')) throw new RpcFail(400, 'PHONE_NUMBER_INVALID');
  return pending.phone;
}

export const unauthHandlers: Record<string, UnauthHandler> = {
  'help.GetNearestDc': () => new Api.NearestDc({ country: 'ZZ', thisDc: 2, nearestDc: 2 }).getBytes(),

  'auth.SendCode': (ctx, req) => {
    if (Number(req.apiId) !== ctx.login.apiId || String(req.apiHash) !== ctx.login.apiHash) throw new RpcFail(400, 'API_ID_INVALID');
    const phone = String(req.phoneNumber ?? '');
    if (phone.replace(/\D/g, '').length < 5) throw new RpcFail(400, 'PHONE_NUMBER_INVALID');
    const code = String(randomInt(10000, 100000));
    const hash = randomBytes(9).toString('hex');
    ctx.login.codes.set(hash, { phone, code, at: Date.now() });
    ctx.login.emitCode(phone, code);
    return new Api.auth.SentCode({ type: new Api.auth.SentCodeTypeApp({ length: 5 }), phoneCodeHash: hash, timeout: 120 }).getBytes();
  },

  'auth.SignIn': (ctx, req) => {
    const phone = takeCode(ctx, req);
    const hash = String(req.phoneCodeHash ?? '');
    const pending = ctx.login.codes.get(hash);
    const code = String(req.phoneCode ?? '');
    if (!code) throw new RpcFail(400, 'PHONE_CODE_EMPTY');
    if (pending?.code !== code) throw new RpcFail(400, 'PHONE_CODE_INVALID');
    const user = ctx.world.byPhoneNumber(phone);
    if (!user) return new Api.auth.AuthorizationSignUpRequired({}).getBytes();
    ctx.login.codes.delete(hash);
    if (user.password) {
      ctx.key.pendingPasswordFor = user.id;
      throw new RpcFail(401, 'SESSION_PASSWORD_NEEDED');
    }
    return authorize(ctx, user.id);
  },

  'auth.SignUp': (ctx, req) => {
    const phone = takeCode(ctx, req);
    ctx.login.codes.delete(String(req.phoneCodeHash ?? ''));
    if (ctx.world.byPhoneNumber(phone)) throw new RpcFail(400, 'PHONE_NUMBER_OCCUPIED');
    const firstName = String(req.firstName ?? '').trim();
    if (!firstName) throw new RpcFail(400, 'FIRSTNAME_INVALID');
    const u = ctx.world.addUser({ firstName, lastName: req.lastName ? String(req.lastName) : undefined, phone });
    return authorize(ctx, u.id);
  },

  'account.GetPassword': (ctx) => {
    const uid = ctx.key.pendingPasswordFor ?? ctx.key.userId;
    const user = uid ? ctx.world.users.get(uid) : undefined;
    if (!user?.password) {
      return new Api.account.Password({
        hasPassword: false,
        newAlgo: newAlgo(),
        newSecureAlgo: new Api.SecurePasswordKdfAlgoUnknown(),
        secureRandom: randomBytes(32),
      }).getBytes();
    }
    const ch = makeChallenge(user.password);
    const srpId = BigInt.asIntN(64, randomBytes(8).readBigInt64LE(0));
    ctx.key.srp = { id: srpId, b: ch.b, B: ch.B };
    return new Api.account.Password({
      hasPassword: true,
      currentAlgo: new Api.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow({
        salt1: user.password.salt1,
        salt2: user.password.salt2,
        g: SRP_G,
        p: SRP_P,
      }),
      srp_B: ch.B,
      srpId: long(srpId),
      hint: user.password.hint,
      newAlgo: newAlgo(),
      newSecureAlgo: new Api.SecurePasswordKdfAlgoUnknown(),
      secureRandom: randomBytes(32),
    }).getBytes();
  },

  'auth.CheckPassword': (ctx, req) => {
    const uid = ctx.key.pendingPasswordFor;
    const user = uid ? ctx.world.users.get(uid) : undefined;
    if (!uid || !user?.password) throw new RpcFail(400, 'PASSWORD_HASH_INVALID');
    const input = req.password as TlObject | undefined;
    const srp = ctx.key.srp;
    if (!input || input.className !== 'InputCheckPasswordSRP' || !srp) throw new RpcFail(400, 'SRP_ID_INVALID');
    if (BigInt(String(input.srpId)) !== srp.id) throw new RpcFail(400, 'SRP_ID_INVALID');
    ctx.key.srp = undefined; // one proof per challenge
    const ok = verifyProof(user.password, { b: srp.b, B: srp.B }, input.A as Buffer, input.M1 as Buffer);
    if (!ok) throw new RpcFail(400, 'PASSWORD_HASH_INVALID');
    return authorize(ctx, uid);
  },
};

function newAlgo(): Api.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow {
  return new Api.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow({
    salt1: randomBytes(8),
    salt2: randomBytes(16),
    g: SRP_G,
    p: SRP_P,
  });
}

