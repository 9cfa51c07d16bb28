import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * facts/known-broken.yaml: the facts we know are wrong, each with the fix the generator applies and why.
 * Anything else the generator cannot resolve fails it; this list is the only way past that.
 */
interface Entry {
  file: string;
  pointer: string;
  kind: 'type' | 'conflict' | 'misindented';
  fix: unknown;
  why: string;
}

let entries: Map<string, Entry> | undefined;
const used = new Set<string>();
const keyOf = (file: string, pointer: string, kind: string) => `${kind} ${file}#${pointer}`;

function load(): Map<string, Entry> {
  const list = parse(readFileSync(join(__dirname, '../../facts/known-broken.yaml'), 'utf8')) as Entry[] | null;
  entries = new Map();
  for (const entry of list ?? []) {
    if (!entry.why) throw new Error(`facts/known-broken.yaml: ${entry.file}#${entry.pointer} says no why`);
    entries.set(keyOf(entry.file, entry.pointer, entry.kind), entry);
  }
  return entries;
}

/** The listed fix for a known-broken fact, or the value as found. */
export function knownBroken(file: string, pointer: string, kind: Entry['kind'], found: unknown): unknown {
  const key = keyOf(file, pointer, kind);
  const entry = (entries ?? load()).get(key);
  if (!entry) return found;
  used.add(key);
  return entry.fix;
}

/** Entries that matched nothing: stale, so the list stays exactly the facts that are broken. */
export function unusedKnownBroken(): string[] {
  return [...(entries ?? load()).keys()].filter((key) => !used.has(key));
}
