import { join } from 'node:path';
import ts from 'typescript';
import type { Example } from './extract';

/**
 * Type-check docs examples as a user's project would: each block one ES module importing the BUILT package
 * (`wechatpay-chain` -> dist/), strict, top-level await allowed. `names` declares what the prose assumes (a script,
 * so an example's own declarations shadow it). Frameworks that are not installed here are declared as untyped
 * modules: their calls are not checked (nor, in those blocks, implicit `any`s), ours still are. Returns each example's diagnostics, by `where`.
 */
/**
 * "Cannot use namespace 'X' as a type" (a type imported from a module declared untyped), and "This expression is
 * not callable" on what such a type left to a global of the same name (express' `Response` became fetch's).
 */
const UNTYPED = [2709, 2349];

export function typecheckExamples(
  root: string,
  examples: Example[],
  names: string,
  untypedModules: string[],
): Map<string, string[]> {
  // a block that imports an untyped framework cannot type its callbacks' parameters: those alone may be implicit any
  const usesUntyped = (example: Example) =>
    untypedModules.some((name) => example.code.includes(`from '${name}'`) || example.code.includes(`'${name}')`));
  return new Map([
    ...check(
      root,
      examples.filter((example) => !usesUntyped(example)),
      names,
      untypedModules,
      true,
    ),
    ...check(root, examples.filter(usesUntyped), names, untypedModules, false),
  ]);
}

function check(
  root: string,
  examples: Example[],
  names: string,
  untypedModules: string[],
  noImplicitAny: boolean,
): Map<string, string[]> {
  const dir = join(root, 'spec', 'docs', '.examples');
  const files = new Map<string, string>();
  const fileOf = new Map<string, string>();
  examples.forEach((example, index) => {
    const file = join(dir, `example-${index}.ts`);
    files.set(file, `${example.code}\nexport {};\n`);
    fileOf.set(file, example.where);
  });
  // the root module a NestJS example imports, as an app has one
  files.set(join(dir, 'app.module.ts'), 'export class AppModule {}\n');
  const prelude = join(dir, 'prelude.d.ts');
  files.set(prelude, `${names}\n${untypedModules.map((name) => `declare module '${name}';`).join('\n')}\n`);

  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ES2022,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts'],
    types: ['node'],
    typeRoots: [join(root, 'node_modules', '@types')],
    strict: true,
    noImplicitAny,
    esModuleInterop: true,
    experimentalDecorators: true,
    skipLibCheck: true,
    noEmit: true,
    baseUrl: root,
    paths: {
      'wechatpay-chain': ['dist/index.d.ts'],
      'wechatpay-chain/sandbox': ['dist/sandbox/index.d.ts'],
      'wechatpay-chain/redis': ['dist/redis/index.d.ts'],
    },
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (name) => files.get(name) ?? readFile(name);
  host.fileExists = (name) => files.has(name) || fileExists(name);
  const directoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (name) => name === dir || (directoryExists?.(name) ?? true);
  host.getSourceFile = (name, languageVersion, onError, shouldCreate) => {
    const text = files.get(name);
    return text !== undefined
      ? ts.createSourceFile(name, text, languageVersion, true)
      : getSourceFile(name, languageVersion, onError, shouldCreate);
  };
  const program = ts.createProgram([prelude, ...fileOf.keys()], options, host);

  const found = new Map<string, string[]>(examples.map((example) => [example.where, []]));
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const where = diagnostic.file ? fileOf.get(diagnostic.file.fileName) : undefined;
    // an untyped framework's type names (`RawBodyRequest`) cannot be used as types: that is all this error says
    if (!noImplicitAny && UNTYPED.includes(diagnostic.code)) continue;
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (where === undefined) {
      // the prelude or a declaration file: every example would be affected
      for (const list of found.values()) list.push(`(setup) ${diagnostic.file?.fileName ?? ''}: ${message}`);
      continue;
    }
    const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
    found.get(where)!.push(`line ${line + 1}: ${message}`);
  }
  return found;
}
