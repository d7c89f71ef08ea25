import { describe, expect, it } from 'vitest';
import { compareVersions, formatVersion, parseRange, parseVersion, satisfies } from './semver-range.ts';

const version = (text: string) => {
  const parsed = parseVersion(text);
  if (!parsed) throw new Error(`no version in ${text}`);
  return parsed;
};

describe('parseVersion', () => {
  it.each([
    ['PostgreSQL 15.19 (Debian 15.19-0+deb12u1) on x86_64-pc-linux-gnu, compiled by gcc 12.2.0, 64-bit', '15.19.0'],
    ['7.0.15', '7.0.15'],
    ['4.1.2', '4.1.2'],
    ['v4.1.2-rc.1', '4.1.2-rc.1'],
    ['redis_version:7.2.4', '7.2.4'],
    ['Kafka 3', '3.0.0'],
    ['15.20-0+deb12u1', '15.20.0'],
    ['1.2.3+build.5', '1.2.3'],
  ])('reads %j as %s', (text, expected) => {
    expect(formatVersion(version(text))).toBe(expected);
  });

  it('is undefined without a number', () => {
    expect(parseVersion('unknown')).toBeUndefined();
  });
});

describe('compareVersions', () => {
  it('orders by semver precedence, prereleases below their release', () => {
    const sorted = ['1.0.0', '1.0.0-rc.1', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta.2', '1.0.0-beta.11', '0.9.9', '1.0.1']
      .map(version).sort(compareVersions).map(formatVersion);
    expect(sorted).toEqual(['0.9.9', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.0.1']);
  });
});

describe('satisfies', () => {
  const cases: [range: string, inside: string[], outside: string[]][] = [
    ['>=14 <17', ['14.0.0', '15.19', '16.9.9'], ['13.99.0', '17.0.0']],
    ['^7.0', ['7.0.15', '7.4.0'], ['6.2.14', '8.0.0']],
    ['^0.2.3', ['0.2.3', '0.2.9'], ['0.3.0', '0.2.2']],
    ['^0.0.3', ['0.0.3'], ['0.0.4']],
    ['^0.x', ['0.9.0'], ['1.0.0']],
    ['^1.x', ['1.9.0'], ['2.0.0']],
    ['^0.0', ['0.0.9'], ['0.1.0']],
    ['~4.1', ['4.1.0', '4.1.9'], ['4.2.0', '4.0.9']],
    ['~4.1.2', ['4.1.2', '4.1.7'], ['4.1.1', '4.2.0']],
    ['~4', ['4.9.9'], ['5.0.0']],
    ['~> 3.6', ['3.6.1'], ['3.7.0']],
    ['15.x', ['15.0.0', '15.20'], ['16.0.0', '14.9.9']],
    ['15', ['15.3.1'], ['16.0.0']],
    ['1.2.X', ['1.2.7'], ['1.3.0']],
    ['=1.2.3', ['1.2.3'], ['1.2.4']],
    ['1.2.3', ['1.2.3'], ['1.2.4']],
    ['*', ['0.0.1', '99.0.0'], []],
    ['', ['1.0.0'], []],
    ['>1.2.3', ['1.2.4'], ['1.2.3']],
    ['>1.2', ['1.3.0'], ['1.2.9']],
    ['>1', ['2.0.0'], ['1.9.9']],
    ['<=1.2', ['1.2.9'], ['1.3.0']],
    ['<=1.2.3', ['1.2.3'], ['1.2.4']],
    ['< 16', ['15.9.9'], ['16.0.0']],
    ['>= 7.0.0', ['7.0.0'], ['6.9.9']],
    ['1.2.3 - 2.3', ['1.2.3', '2.3.9'], ['1.2.2', '2.4.0']],
    ['1.2 - 2.3.4', ['1.2.0', '2.3.4'], ['1.1.9', '2.3.5']],
    ['^6.2 || ^7', ['6.2.14', '7.0.15'], ['6.0.0', '8.0.0']],
    ['<3 || >=4.1 <5', ['2.8.0', '4.1.2'], ['3.5.0', '5.0.0']],
    ['>=4.1.2-rc.1', ['4.1.2-rc.2', '4.1.2'], ['4.1.2-rc.0', '4.1.1']],
  ];
  it.each(cases)('%j', (range, inside, outside) => {
    const parsed = parseRange(range);
    for (const text of inside) expect(satisfies(version(text), parsed), `${text} in ${range}`).toBe(true);
    for (const text of outside) expect(satisfies(version(text), parsed), `${text} not in ${range}`).toBe(false);
  });

  it('nothing satisfies <* or >*', () => {
    expect(satisfies(version('0.0.0'), '<*')).toBe(false);
    expect(satisfies(version('9.9.9'), '>x')).toBe(false);
    expect(satisfies(version('9.9.9'), '>=*')).toBe(true);
    expect(satisfies(version('9.9.9'), '<=*')).toBe(true);
  });

  it('takes the range as text', () => {
    expect(satisfies(version('PostgreSQL 15.19'), '>=14')).toBe(true);
  });

  it('names what is wrong with a bad range', () => {
    expect(() => parseRange('>= banana')).toThrow('expected a version like 1.2.3, 1.2, 1.x or *, got "banana" in ">= banana"');
    expect(() => parseRange('>=')).toThrow('expected a version after ">=" in ">="');
    expect(() => parseRange('^1.2.3.4')).toThrow('got "1.2.3.4"');
  });
});
