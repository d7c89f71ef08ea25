import { describe, expect, it } from 'vitest';
import { escapeXmlAttribute, escapeXmlText, stripIllegalXml, xmlAttributes } from './xml.ts';

describe('XML escaping', () => {
  it('escapes markup in text and attributes', () => {
    expect(escapeXmlText(`<a href="x">&'</a>]]>`)).toBe(`&lt;a href="x"&gt;&amp;'&lt;/a&gt;]]&gt;`);
    expect(escapeXmlAttribute(`<"'&>\n\r\t`)).toBe('&lt;&quot;&apos;&amp;&gt;&#10;&#13;&#9;');
  });

  it('strips characters XML 1.0 forbids, keeping valid astral characters', () => {
    expect(stripIllegalXml('a\u0000b\u0008c\u000bd\u001fe\ufffef\uffffg\ud800h\udc00i😀\t\n\r')).toBe('abcdefghi😀\t\n\r');
  });

  it('renders attributes, leaving out undefined ones', () => {
    expect(xmlAttributes({ name: 'a&b', tests: 3, skipped: undefined })).toBe(' name="a&amp;b" tests="3"');
  });
});
