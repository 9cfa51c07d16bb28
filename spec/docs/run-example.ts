import ts from 'typescript';

/**
 * Run one docs example as a user would paste it: TypeScript transpiled to CommonJS, `import`s resolved by
 * `resolve`, top-level `await` allowed, and the names the prose assumes (`instance`, `out_request_no`, ...)
 * in scope from `fixture`. The example's own declarations shadow the fixture's. A top-level `main()` call (the
 * CommonJS form of a script) is awaited, as Node waits for it before the process ends.
 */
export async function runExample(
  code: string,
  resolve: (specifier: string) => unknown,
  fixture: Record<string, unknown>,
): Promise<void> {
  const { outputText } = ts.transpileModule(code.replace(/^main\(\)/gm, 'await main()'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    reportDiagnostics: false,
  });
  const names = Object.keys(fixture);
  const wrapper = `(async (require, exports, __fixture) => { const { ${names.join(', ')} } = __fixture; {\n${outputText}\n} })`;
  // compiled in the spec's own realm (jest's), so the objects an example makes are the package's kind of objects
  const run = new Function(`return ${wrapper}`)() as (
    require: (specifier: string) => unknown,
    exports: object,
    fixture: Record<string, unknown>,
  ) => Promise<void>;
  await run(resolve, {}, fixture);
}
