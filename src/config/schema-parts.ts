/** Small schema pieces shared by the config schema and the channel plugins that own their config sections. */
import { z } from '../schema-kit/zod.js';

export const int = (min: number, max = Number.MAX_SAFE_INTEGER): z.ZodNumber => z.number().int().min(min).max(max);

export function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

export const httpUrl = z.string().refine(isHttpUrl, { message: 'must be an http(s) URL', params: { hint: 'write a full URL such as https://host:port/path' } });
