import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV_VARS } from '../../src/config/index.js';
import { ROOT } from './manifests.js';

const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const script = readFileSync(join(ROOT, 'scripts/prod-install-check.sh'), 'utf8');
const dockerignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());

/** Dockerfile instructions with line continuations joined and comments dropped. */
function instructions(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

describe('Dockerfile', () => {
  const ins = instructions(dockerfile);

  it('is multi-stage on node:20-bookworm-slim with a build stage compiling native modules', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
    expect(ins).toContain('FROM ${NODE_IMAGE} AS build');
    expect(ins.some((l) => /^RUN apt-get update .*python3 make g\+\+/.test(l))).toBe(true);
    expect(ins).toContain('RUN npm ci --no-audit --no-fund');
    expect(ins).toContain('RUN npm run build');
    expect(ins.some((l) => l.startsWith('RUN npm prune --omit=dev'))).toBe(true);
  });

  it('runs as uid 10001 with volumes, healthcheck and the CLI entrypoint', () => {
    expect(ins).toContain('USER 10001:10001');
    expect(ins).toContain('VOLUME ["/data", "/reports"]');
    expect(ins).toContain('ENTRYPOINT ["node", "dist/cli/main.js"]');
    expect(ins.find((l) => l.startsWith('HEALTHCHECK'))).toMatch(/\/health/);
    for (const p of ['dist', 'node_modules', 'package.json']) expect(ins.some((l) => l.startsWith('COPY --from=build') && l.includes(`/app/${p}`))).toBe(true);
    expect(ins.some((l) => /^COPY .*scenarios \.\/scenarios$/.test(l))).toBe(true);
  });

  it('adds chromium only with WITH_CHROMIUM=1', () => {
    expect(ins).toContain('ARG WITH_CHROMIUM=0');
    expect(ins).toContain('FROM runtime-chromium-${WITH_CHROMIUM} AS runtime');
    const chromiumStage = dockerfile.split('AS runtime-chromium-1')[1]?.split('FROM ')[0] ?? '';
    expect(chromiumStage).toMatch(/apt-get install .*chromium/);
    expect(chromiumStage).toMatch(/ENV CHROMIUM_PATH=\/usr\/bin\/chromium/);
    const slimStage = dockerfile.split('AS runtime-chromium-0')[1]?.split('FROM ')[0] ?? '';
    expect(slimStage).not.toMatch(/chromium/);
  });

  it('sets only environment variables the config knows (besides NODE_ENV)', () => {
    const names = [...dockerfile.matchAll(/\b([A-Z][A-Z0-9_]+)=/g)].map((m) => m[1] as string);
    const known = new Set([...ENV_VARS.map((e) => e.name), 'NODE_ENV', 'NODE_IMAGE', 'WITH_CHROMIUM']);
    expect(names).toContain('TG_CANARY_DB');
    expect(names.filter((n) => !known.has(n))).toEqual([]);
    expect(dockerfile).toMatch(/TG_CANARY_DB=\/data\/tg-canary\.db/);
    expect(dockerfile).toMatch(/REPORTS_DIR=\/reports/);
  });

  it('keeps secrets and local state out of the build context', () => {
    for (const p of ['.env', 'node_modules', '*.db', '.git', 'reports', 'data']) expect(dockerignore).toContain(p);
  });
});

describe('scripts/prod-install-check.sh mirrors the Dockerfile', () => {
  it('points at each other', () => {
    expect(dockerfile).toContain('scripts/prod-install-check.sh');
    expect(script).toContain('Dockerfile');
  });

  it('does the same production install and starts the CLI the same way', () => {
    expect(script).toContain('npm ci --omit=dev --no-audit --no-fund');
    expect(script).toContain('npm run build');
    for (const f of ['package.json', 'package-lock.json', 'dist', 'scenarios']) expect(script).toContain(f);
    expect(script).toMatch(/node dist\/cli\/main\.js "\$@"/);
    expect(script).toMatch(/run_cli --version/);
    expect(script).toMatch(/run_cli demo --reports-dir "\$TMP\/reports" --db "\$TMP\/demo\.db"/);
    expect(script).toMatch(/du -sk node_modules/);
  });

  it('is valid bash', () => {
    expect(() => execFileSync('bash', ['-n', join(ROOT, 'scripts/prod-install-check.sh')])).not.toThrow();
  });
});
