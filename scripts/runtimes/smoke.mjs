/* global process, console */
// Bun and Deno: `bun smoke.mjs input.json` / `deno run -A smoke.mjs input.json`; prints the exercise's result as JSON.
import { readFileSync } from 'node:fs';
import { exercise } from './exercise.mjs';

const path = globalThis.Deno ? globalThis.Deno.args[0] : process.argv[2];
const input = JSON.parse(readFileSync(path, 'utf8'));
console.log(JSON.stringify(await exercise(input)));
