#!/usr/bin/env node
/**
 * Fails when our modules import each other in a circle. The graph is the one tsc sees (tsconfig.json's files):
 * every `import`, `export … from` and `import()` between our own files counts, type-only ones too — a type circle
 * is still two modules that cannot be understood, or moved, apart. Run by `npm run lint`.
 * Usage: node scripts/check-cycles.mjs [path/to/tsconfig.json]
 */
import ts from 'typescript';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const configPath = resolve(root, process.argv[2] ?? 'tsconfig.json');
const read = ts.readConfigFile(configPath, ts.sys.readFile);
if (read.error) {
  console.error(`check-cycles: cannot read ${configPath}: ${ts.flattenDiagnosticMessageText(read.error.messageText, '\n')}`);
  process.exit(2);
}
const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(configPath));
const host = ts.createCompilerHost(parsed.options);
const ours = (f) => !f.includes('/node_modules/') && !f.endsWith('.d.ts');
const files = parsed.fileNames.map((f) => resolve(f)).filter(ours);
const known = new Set(files);

/** Module specifiers a file names: static imports and re-exports, `import()` with a literal, `import('x').T` types. */
function specifiers(sf) {
  const out = [];
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      out.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])) {
      out.push(node.arguments[0].text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      out.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

const graph = new Map();
for (const file of files) {
  const sf = ts.createSourceFile(file, ts.sys.readFile(file) ?? '', ts.ScriptTarget.Latest, true);
  const deps = new Set();
  for (const spec of specifiers(sf)) {
    if (!spec.startsWith('.')) continue;
    const hit = ts.resolveModuleName(spec, file, parsed.options, host).resolvedModule;
    const to = hit && resolve(hit.resolvedFileName);
    if (to && known.has(to) && to !== file) deps.add(to);
  }
  graph.set(file, [...deps]);
}

// Tarjan's strongly connected components: every component of two or more files holds a circle.
let index = 0;
const idx = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const components = [];
function strong(v) {
  idx.set(v, index);
  low.set(v, index++);
  stack.push(v);
  onStack.add(v);
  for (const w of graph.get(v)) {
    if (!idx.has(w)) {
      strong(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
  }
  if (low.get(v) === idx.get(v)) {
    const comp = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      comp.push(w);
    } while (w !== v);
    if (comp.length > 1) components.push(comp);
  }
}
for (const f of files) if (!idx.has(f)) strong(f);

/** One shortest circle through `start` inside its component, for the message. */
function circleThrough(start, comp) {
  const inComp = new Set(comp);
  const prev = new Map([[start, null]]);
  const queue = [start];
  while (queue.length) {
    const v = queue.shift();
    for (const w of graph.get(v)) {
      if (w === start) {
        const path = [v];
        for (let p = prev.get(v); p; p = prev.get(p)) path.unshift(p);
        return [...path, start];
      }
      if (inComp.has(w) && !prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}

const rel = (f) => relative(root, f);
if (components.length === 0) {
  console.log(`check-cycles: no import circles among ${files.length} modules`);
} else {
  for (const comp of components) {
    const start = comp.map(rel).sort()[0];
    console.error(`import circle (${comp.length} modules): ${circleThrough(resolve(root, start), comp).map(rel).join(' → ')}`);
  }
  console.error(`check-cycles: ${components.length} import circle(s); fix: move what both sides need into a third module that imports neither`);
  process.exit(1);
}
