/** The first stage of the pipeline: finding and reading the scenario files under a folder. */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { configError } from '../core/errors.js';
import { MAX_SCENARIO_FILE_BYTES, readInputFile } from '../util/read-input-file.js';

/** One scenario file as read from disk: its path as shown in messages, and its text. */
export interface ScenarioSource {
  file: string;
  text: string;
}

/** Every `*.yaml` / `*.yml` under `dir`, recursively, sorted by name; names starting with `.` are skipped. */
export async function findScenarioFiles(dir: string): Promise<string[]> {
  return findScenarioFilesSync(dir);
}

// Synchronous on purpose: a scenario folder holds a few dozen small files, and a cold start pays several ms for
// each round through the thread pool (bench/cold-start.mjs).
function findScenarioFilesSync(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    const entries = readdirSync(d, { withFileTypes: true });
    // Code-unit order: the same on every machine (localeCompare's first call also costs ~7 ms of ICU set-up).
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (e.name.startsWith('.')) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/i.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Reads every scenario file under `dir` (SCENARIOS_DIR_NOT_FOUND, or SCENARIO_NONE_MATCHED when it holds none). */
export async function readScenarioSources(dir: string): Promise<ScenarioSource[]> {
  const info = statSync(dir, { throwIfNoEntry: false });
  if (!info?.isDirectory()) {
    throw configError('SCENARIOS_DIR_NOT_FOUND', `scenario folder not found: ${dir}`, 'set SCENARIOS_DIR (or paths.scenarios) to a folder of *.yaml scenario files');
  }
  const files = findScenarioFilesSync(dir);
  if (files.length === 0) {
    throw configError('SCENARIO_NONE_MATCHED', `no *.yaml scenario files in ${dir}`, 'copy the shipped scenarios/ folder or write one (see `tg-canary schema`)');
  }
  return files.map((file) => {
    const shown = relative(process.cwd(), file) || file;
    const name = shown.startsWith('..') ? file : shown;
    return { file: name, text: readInputFile(file, { maxBytes: MAX_SCENARIO_FILE_BYTES, what: 'scenario file', shown: name }) };
  });
}
