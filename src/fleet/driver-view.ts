/**
 * One pair's driver on an account's shared, already connected driver: `connect` only resolves the pair's bots on
 * the open connection (a failure to resolve surfaces when the run asks `resolveBot`, as with a driver of its own),
 * `close` only ends the pair's use. Everything else goes to the shared driver: one pacing and one flood budget for
 * every chat of the account.
 */
import type { BotDriver } from '../core/ports.js';

export interface DriverViewOptions {
  /** Called once when the pair closes its view. */
  onClose?: () => void;
  /** Sees every failure of a call through the view (the pool watches for flood waits and revoked sessions). */
  observe?: (e: unknown) => void;
}

export function driverView(shared: BotDriver, opts: DriverViewOptions = {}): BotDriver {
  const { onClose, observe } = opts;
  let closed = false;
  const own: Pick<BotDriver, 'connect' | 'close'> = {
    async connect(o?: { bots?: readonly string[] }): Promise<void> {
      for (const bot of o?.bots ?? []) shared.resolveBot(bot).catch((e: unknown) => observe?.(e));
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      onClose?.();
    },
  };
  // Every other member goes to the shared driver, optional ones included (media, buttons, inline mode, groups …),
  // so a capability the driver gains is never lost in fleet mode.
  return new Proxy(shared, {
    get(target, prop): unknown {
      if (prop === 'connect' || prop === 'close') return own[prop];
      const v: unknown = Reflect.get(target, prop, target);
      if (typeof v !== 'function') return v;
      const fn = v as (...a: unknown[]) => unknown;
      if (!observe) return fn.bind(target);
      return (...args: unknown[]): unknown => {
        const out = fn.apply(target, args);
        if (out instanceof Promise) out.catch((e: unknown) => observe(e));
        return out;
      };
    },
  });
}

/** A driver for a pair that has no account this cycle (or whose account failed to connect): every call fails with `error`. */
export function unavailableDriver(error: Error): BotDriver {
  const no = (): Promise<never> => Promise.reject(error);
  return { connect: no, me: no, resolveBot: no, send: no, waitForReply: no, click: no, close: async () => undefined };
}
