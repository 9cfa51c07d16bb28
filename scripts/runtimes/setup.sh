#!/usr/bin/env bash
# Installs Bun, Deno, workerd and esbuild from the npm registry (their binaries ship inside the packages) into
# .runtimes/, for spec/runtimes/*. Kept out of devDependencies so `npm ci` stays small and fast for everyone.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p .runtimes
cp scripts/runtimes/package.json .runtimes/package.json
npm install --prefix .runtimes --no-audit --no-fund --no-package-lock
for bin in bun deno workerd esbuild; do
  .runtimes/node_modules/.bin/$bin --version >/dev/null
done
echo "runtimes ready in .runtimes/"
