/** `.env.example` and the README table, both generated from ENV_VARS. */
import { ENV_VARS } from './env-vars.js';

/** The committed `.env.example`: every variable with a comment; defaults shown, secrets never filled in. */
export function renderEnvExample(): string {
  const out: string[] = [
    '# tg-canary configuration. Generated from src/config/env-vars.ts (renderEnvExample); do not edit by hand.',
    '# A commented line shows the default (or an example). Secrets marked (secret) can instead be read from <NAME>_FILE.',
    '# The same settings may go in tg-canary.config.yaml under the key paths shown in [brackets]; env vars win.',
  ];
  let group = '';
  for (const v of ENV_VARS) {
    if (v.group !== group) {
      group = v.group;
      out.push('', `# ---- ${group}`);
    }
    const tags = [v.secret ? '(secret)' : '', v.path !== '-' ? `[${v.path}]` : ''].filter(Boolean).join(' ');
    out.push(`# ${v.description}${tags ? ` ${tags}` : ''}`);
    if (v.default !== undefined) out.push(`#${v.name}=${v.default}`);
    else if (v.example !== undefined) out.push(`#${v.name}=${v.secret ? '' : v.example}`);
    else out.push(`#${v.name}=`);
  }
  return `${out.join('\n')}\n`;
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Markdown table of every variable for the README. */
export function renderEnvMarkdown(): string {
  const rows = ['| Variable | Config key | Default | Secret | Description |', '| --- | --- | --- | --- | --- |'];
  for (const v of ENV_VARS) {
    const dflt = v.default === undefined ? '' : `\`${cell(v.default)}\``;
    const desc = cell(v.description) + (v.example && !v.secret ? ` Example: \`${cell(v.example)}\`` : '');
    rows.push(`| \`${v.name}\` | ${v.path === '-' ? '' : `\`${v.path}\``} | ${dflt} | ${v.secret ? 'yes' : ''} | ${desc} |`);
  }
  return `${rows.join('\n')}\n`;
}
