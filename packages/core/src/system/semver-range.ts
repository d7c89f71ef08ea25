/**
 * A small semver-range matcher for server versions: enough of npm's grammar to
 * declare what a system was built against (`>=14 <17`, `^7.0`, `~4.1`, `15.x`,
 * `1.2.3 - 2.3`, alternatives with `||`), and a lenient version reader that
 * finds the version inside what servers answer (`PostgreSQL 15.19 (Debian …)`,
 * `7.0.15`, `v4.1.2`).
 *
 * Prerelease versions (`4.1.2-rc.1`) compare by semver precedence (below
 * `4.1.2`); unlike npm, a range does not exclude them. Build metadata is ignored.
 */

/** A parsed version. */
export interface Version {
  major: number;
  minor: number;
  patch: number;
  /** Dot-separated prerelease identifiers (`rc.1` → `['rc', '1']`); empty for a release. */
  prerelease: string[];
}

type Operator = '<' | '<=' | '>' | '>=' | '=';

interface Comparator {
  operator: Operator;
  version: Version;
}

/** A parsed range: alternatives (`||`), each a set of comparators that must all hold. */
export interface VersionRange {
  /** The range as written. */
  raw: string;
  alternatives: Comparator[][];
}

/**
 * Find the first version in a server's answer: `PostgreSQL 15.19 (Debian …)` → 15.19.0,
 * `7.0.15` → 7.0.15, `v4.1.2-rc.1` → 4.1.2-rc.1, `Kafka 3` → 3.0.0. A suffix after a
 * version with fewer than three parts (`15.20-0+deb12u1`) is a distribution revision,
 * not a prerelease. Undefined when the text holds no number.
 */
export function parseVersion(text: string): Version | undefined {
  const match = /(?<![\d.])(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?/.exec(text);
  if (!match) return undefined;
  const [, major, minor, patch, prerelease] = match;
  return {
    major: Number(major),
    minor: Number(minor ?? 0),
    patch: Number(patch ?? 0),
    prerelease: patch !== undefined && prerelease ? prerelease.split('.') : [],
  };
}

/** `15.19.0`, `4.1.2-rc.1`. */
export function formatVersion(version: Version): string {
  const core = `${version.major}.${version.minor}.${version.patch}`;
  return version.prerelease.length > 0 ? `${core}-${version.prerelease.join('.')}` : core;
}

/** Semver precedence: negative when a < b, 0 when equal, positive when a > b. */
export function compareVersions(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch || comparePrerelease(a.prerelease, b.prerelease);
}

/**
 * Parse a range; throws an Error saying what was wrong (`expected a version after ">=" in ">= x.y"`).
 * Grammar: `||`-separated alternatives of space-separated comparators `<`, `<=`, `>`, `>=`, `=`
 * or none, with partial versions and `x`/`X`/`*` wildcards, `^` and `~`, and hyphen ranges `a - b`.
 */
export function parseRange(raw: string): VersionRange {
  const alternatives = raw.split('||').map((part) => parseAlternative(part.trim(), raw));
  return { raw, alternatives };
}

/** True when `version` satisfies `range` (a parsed range or its text). */
export function satisfies(version: Version, range: VersionRange | string): boolean {
  const parsed = typeof range === 'string' ? parseRange(range) : range;
  return parsed.alternatives.some((comparators) => comparators.every((comparator) => holds(version, comparator)));
}

function holds(version: Version, { operator, version: bound }: Comparator): boolean {
  const order = compareVersions(version, bound);
  switch (operator) {
    case '<': return order < 0;
    case '<=': return order <= 0;
    case '>': return order > 0;
    case '>=': return order >= 0;
    case '=': return order === 0;
  }
}

/** A version as written in a range: missing or wildcard parts are undefined. */
interface PartialVersion {
  major?: number;
  minor?: number;
  patch?: number;
  prerelease: string[];
}

const PARTIAL = /^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?$/;

function parseAlternative(text: string, raw: string): Comparator[] {
  if (text === '') return [];   // '' and the sides of '||' with nothing in them mean any version
  const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(text);
  if (hyphen) return [...lowerBound(partial(hyphen[1]!, raw)), ...upperInclusive(partial(hyphen[2]!, raw))];
  const tokens = text.replace(/(<=|>=|<|>|=|\^|~)\s+/g, '$1').split(/\s+/);
  return tokens.flatMap((token) => desugar(token, raw));
}

function desugar(token: string, raw: string): Comparator[] {
  const [, operator = '', rest = ''] = /^(<=|>=|<|>|=|\^|~>?)?(.*)$/.exec(token)!;
  const version = partial(rest, raw, operator);
  switch (operator) {
    case '^': return caret(version);
    case '~': case '~>': return tilde(version);
    case '>': return greaterThan(version);
    case '>=': return lowerBound(version);
    case '<': return version.major === undefined ? [never()] : [{ operator: '<', version: fill(version) }];
    case '<=': return upperInclusive(version);
    default: return exactOrWildcard(version);
  }
}

function partial(text: string, raw: string, operator = ''): PartialVersion {
  const match = PARTIAL.exec(text);
  if (!match) {
    const what = text === '' ? `a version after "${operator}"` : `a version like 1.2.3, 1.2, 1.x or *, got "${text}"`;
    throw new Error(`expected ${what} in "${raw}"`);
  }
  const number = (part: string | undefined) => (part === undefined || /^[xX*]$/.test(part) ? undefined : Number(part));
  const major = number(match[1]);
  const minor = major === undefined ? undefined : number(match[2]);
  const patch = minor === undefined ? undefined : number(match[3]);
  return { major, minor, patch, prerelease: patch !== undefined && match[4] ? match[4].split('.') : [] };
}

function fill(version: PartialVersion): Version {
  return { major: version.major ?? 0, minor: version.minor ?? 0, patch: version.patch ?? 0, prerelease: version.prerelease };
}

function at(major: number, minor = 0, patch = 0): Version {
  return { major, minor, patch, prerelease: [] };
}

/** `<0.0.0` with the lowest prerelease: nothing satisfies it (`<*`). */
function never(): Comparator {
  return { operator: '<', version: { ...at(0), prerelease: ['0'] } };
}

/** The first version above every version the partial covers: `1.2` → 1.3.0, `1` → 2.0.0. */
function nextAfter(version: PartialVersion): Version | undefined {
  if (version.major === undefined) return undefined;
  if (version.minor === undefined) return at(version.major + 1);
  if (version.patch === undefined) return at(version.major, version.minor + 1);
  return undefined;
}

function lowerBound(version: PartialVersion): Comparator[] {
  return version.major === undefined ? [] : [{ operator: '>=', version: fill(version) }];
}

function upperInclusive(version: PartialVersion): Comparator[] {
  if (version.major === undefined) return [];
  const next = nextAfter(version);
  return next ? [{ operator: '<', version: next }] : [{ operator: '<=', version: fill(version) }];
}

function greaterThan(version: PartialVersion): Comparator[] {
  if (version.major === undefined) return [never()];
  const next = nextAfter(version);
  return next ? [{ operator: '>=', version: next }] : [{ operator: '>', version: fill(version) }];
}

function exactOrWildcard(version: PartialVersion): Comparator[] {
  if (version.major === undefined) return [];
  const next = nextAfter(version);
  return next ? [{ operator: '>=', version: fill(version) }, { operator: '<', version: next }] : [{ operator: '=', version: fill(version) }];
}

/** `^1.2.3` → <2.0.0, `^0.2.3` → <0.3.0, `^0.0.3` → <0.0.4: the left-most non-zero part is fixed. */
function caret(version: PartialVersion): Comparator[] {
  const { major, minor, patch } = version;
  if (major === undefined) return [];
  const lower: Comparator = { operator: '>=', version: fill(version) };
  let upper: Version;
  if (major > 0 || minor === undefined) upper = at(major + 1);
  else if (minor > 0 || patch === undefined) upper = at(0, minor + 1);
  else upper = at(0, 0, patch + 1);
  return [lower, { operator: '<', version: upper }];
}

/** `~1.2.3` → >=1.2.3 <1.3.0; `~1` → >=1.0.0 <2.0.0. */
function tilde(version: PartialVersion): Comparator[] {
  const { major, minor } = version;
  if (major === undefined) return [];
  const upper = minor === undefined ? at(major + 1) : at(major, minor + 1);
  return [{ operator: '>=', version: fill(version) }, { operator: '<', version: upper }];
}

function comparePrerelease(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return b.length - a.length;   // a release ranks above its prereleases
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    const left = a[index];
    const right = b[index];
    if (left === undefined) return -1;
    if (right === undefined) return 1;
    if (left === right) continue;
    const leftNumeric = /^\d+$/.test(left);
    const rightNumeric = /^\d+$/.test(right);
    if (leftNumeric && rightNumeric) return Number(left) - Number(right);
    if (leftNumeric !== rightNumeric) return leftNumeric ? -1 : 1;
    return left < right ? -1 : 1;
  }
  return 0;
}
