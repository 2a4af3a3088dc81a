import { spawn } from 'node:child_process';
import { cliEnv, startSandboxChild, tempDir, CLI } from './lib.mjs';
const sb = await startSandboxChild(); const tmp = tempDir();
const env = cliEnv(sb.env, tmp.dir, { MESSAGE_PACING_MS: '0' });
for (let i=0;i<3;i++){
await sb.call({ cmd: 'callLog' });
const t0 = Date.now();
const c = spawn(process.execPath, [CLI, 'run', '--target', 'canary', '--scenario', 'favor-convert-units', '--json'], { env, stdio: ['ignore','pipe','inherit'] });
c.stdout.resume();
await new Promise(r => c.on('close', r));
const tEnd = Date.now();
const log = (await sb.call({ cmd: 'callLog' })).log;
console.log(log.map(e => `${e.method}@${e.at - t0}`).join(' '), 'exit@', tEnd - t0);
}
await sb.stop(); tmp.remove(); process.exit(0);
