import type { Command } from 'commander';
import { loadConfig } from '../config/index.js';
import { loadScenarioSet } from '../app/scenario-set.js';
import { fail } from './fatal.js';

interface DirFlags {
  dir?: string;
  config?: string;
  suite?: string;
}

async function scenariosDir(flags: DirFlags): Promise<string> {
  if (flags.dir) return flags.dir;
  return (await loadConfig({ env: process.env, file: flags.config, require: [] })).paths.scenarios;
}

export function registerScenarioCommands(program: Command): void {
  program
    .command('list')
    .description('list the scenarios')
    .option('--dir <dir>', 'scenario directory (default SCENARIOS_DIR or ./scenarios)')
    .option('--suite <suite>', 'only this suite')
    .option('--config <file>', 'config file')
    .action(async (flags: DirFlags) => {
      try {
        const list = await loadScenarioSet(await scenariosDir(flags), { suite: flags.suite });
        for (const s of list) {
          process.stdout.write(`${s.suite.padEnd(8)} ${s.name.padEnd(30)} ${s.targets.join(',').padEnd(14)} ${s.steps.length} steps  ${s.description ?? ''}\n`);
        }
        process.stdout.write(`${list.length} scenario${list.length === 1 ? '' : 's'}\n`);
      } catch (e) {
        fail(e);
      }
    });
  program
    .command('validate')
    .description('check the scenario files; errors as file:line: field: fix')
    .option('--dir <dir>', 'scenario directory (default SCENARIOS_DIR or ./scenarios)')
    .option('--config <file>', 'config file')
    .action(async (flags: DirFlags) => {
      try {
        const list = await loadScenarioSet(await scenariosDir(flags));
        process.stdout.write(`ok: ${list.length} scenario${list.length === 1 ? '' : 's'} valid\n`);
      } catch (e) {
        fail(e);
      }
    });
  program
    .command('schema')
    .description('print the JSON Schema of scenario files (for editor completion)')
    .action(async () => {
      const { scenarioJsonSchema } = await import('../scenarios/schema.js');
      process.stdout.write(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
    });
}
