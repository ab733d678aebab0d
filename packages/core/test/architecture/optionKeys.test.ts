/**
 * Issue 11: each decomposition's accepted-key list comes from its options type through
 * `optionKeys<T>()(...)` (checks/options.ts), so `tsc -b packages/core` fails when a list
 * drifts from its type. This test compiles small programs against the real helper to show
 * that the compiler does reject a missing and an unknown key, and accepts the exact list;
 * and checks at run time that the decompositions' lists reject a key outside their type.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ArgumentError, optionKeys, parafac, tf, tucker, tensorTrain, tensorRing } from '@tenfold/core';

const HELPER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/checks/options.ts');

/** Type errors of a program that imports `optionKeys` from the helper's source. */
function typeErrors(body: string): string[] {
  const file = path.join(path.dirname(HELPER), '__optionKeysProbe.ts');
  const text = `import { optionKeys } from './options.js';\n${body}\n`;
  const options: ts.CompilerOptions = { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, skipLibCheck: true, types: [] };
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  host.readFile = (f) => (path.resolve(f) === file ? text : read(f));
  const exists = host.fileExists.bind(host);
  host.fileExists = (f) => path.resolve(f) === file || exists(f);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

const TYPE = 'interface Opts { nIterMax?: number; tol?: number; seed?: number }';

describe('optionKeys: the key list comes from the options type', () => {
  it('accepts the exact list and returns it', () => {
    expect(typeErrors(`${TYPE}\nexport const K = optionKeys<Opts>()('nIterMax', 'tol', 'seed');`)).toEqual([]);
    expect(optionKeys<{ a?: number; b?: string }>()('a', 'b')).toEqual(['a', 'b']);
  });

  it('names a key of the type left out of the list', () => {
    const errs = typeErrors(`${TYPE}\nexport const K = optionKeys<Opts>()('nIterMax', 'tol');`);
    expect(errs.length).toBe(1);
    expect(errs[0]).toMatch(/missing: "seed"/);
  });

  it('names a listed key that the type does not have', () => {
    const errs = typeErrors(`${TYPE}\nexport const K = optionKeys<Opts>()('nIterMax', 'tol', 'seed', 'nIter');`);
    expect(errs.length).toBe(1);
    expect(errs[0]).toMatch(/"nIter"/);
  });

  it('the decompositions reject a key outside their options type', () => {
    const t = tf.ones([3, 4, 5]);
    expect(() => parafac(t, 2, { nIter: 3 } as never)).toThrow(ArgumentError);
    expect(() => tucker(t, [2, 2, 2], { l2Reg: 1 } as never)).toThrow(/l2Reg/);
    expect(() => tensorTrain(t, [1, 2, 2, 1], { nIterMax: 1 } as never)).toThrow(/nIterMax/);
    expect(() => tensorRing(t, 2, { tol: 0 } as never)).toThrow(/tol/);
    t.dispose();
  });

  it('no decomposition keeps a hand-written key array', () => {
    const dir = path.resolve(path.dirname(HELPER), '../decomposition');
    const files = fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.ts'));
    const bare = files.filter((f) => /const \w*OPTIONS\w*\s*=\s*\[/.test(fs.readFileSync(path.join(dir, f), 'utf8')));
    expect(bare).toEqual([]);
    // and every checkOptions call there takes a list built by optionKeys (or a parameter holding one)
    const inline = files.filter((f) => /checkOptions\([^)]*\[/.test(fs.readFileSync(path.join(dir, f), 'utf8')));
    expect(inline).toEqual([]);
  });
});

/** Lines (1-based) of every `checkOptions(x, [ ... ], ...)` call in `text`: a key list written inline. */
function inlineKeyLists(text: string): number[] {
  const src = ts.createSourceFile('probe.ts', text, ts.ScriptTarget.ES2022, true);
  const lines: number[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'checkOptions' && node.arguments.length > 1 && ts.isArrayLiteralExpression(node.arguments[1])) {
      lines.push(src.getLineAndCharacterOfPosition(node.getStart()).line + 1);
    }
    ts.forEachChild(node, visit);
  };
  visit(src);
  return lines;
}

describe('issue 11: no option-key list written inline', () => {
  // Empty since linalg and rank were converted too (issue 11); keep it so.
  const KNOWN_EXCEPTIONS: string[] = [];

  it('the scan finds inline lists (one line, spread, several lines) and passes named ones', () => {
    const text = [
      "opts = checkOptions(opts, ['a', 'b'], 'f');",
      "checkOptions(args, [...KEYS, 'c'], 'g', 'args');",
      'const o = checkOptions(',
      "  options, ['x'], 'h');",
      "checkOptions(opts, FOO_OPTIONS, 'k');",
    ].join('\n');
    expect(inlineKeyLists(text)).toEqual([1, 2, 3]);
  });

  it('every checkOptions call in the packages takes a list built by optionKeys (or a name holding one)', () => {
    const root = path.resolve(path.dirname(HELPER), '../../../..');
    const hits: string[] = [];
    for (const pkg of ['core', 'factorized-layers', 'cli', 'rank']) {
      const dir = path.join(root, 'packages', pkg, 'src');
      if (!fs.existsSync(dir)) continue;
      for (const f of fs.readdirSync(dir, { recursive: true }).map(String)) {
        if (!f.endsWith('.ts') || f.endsWith('.d.ts')) continue;
        const rel = path.relative(root, path.join(dir, f)).split(path.sep).join('/');
        for (const line of inlineKeyLists(fs.readFileSync(path.join(dir, f), 'utf8'))) hits.push(`${rel}:${line}`);
      }
    }
    expect(hits.filter((h) => !KNOWN_EXCEPTIONS.some((e) => h.startsWith(e)))).toEqual([]);
  });
});
