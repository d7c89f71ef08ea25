/** XML 1.0 escaping for the JUnit reporter. */

// Characters XML 1.0 forbids anywhere (C0 controls but tab/LF/CR, U+FFFE/U+FFFF) and lone surrogates.
const ILLEGAL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const TEXT: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const ATTRIBUTE: Record<string, string> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\n': '&#10;', '\r': '&#13;', '\t': '&#9;',
};

/** Remove characters that XML 1.0 cannot carry at all (even as references). */
export function stripIllegalXml(text: string): string {
  return text.replace(ILLEGAL, '');
}

/** Escape element text. */
export function escapeXmlText(text: string): string {
  return stripIllegalXml(text).replace(/[&<>]/g, (char) => TEXT[char]!);
}

/** Escape an attribute value (quoted with `"`); newlines and tabs survive attribute normalisation. */
export function escapeXmlAttribute(text: string): string {
  return stripIllegalXml(text).replace(/[&<>"'\n\r\t]/g, (char) => ATTRIBUTE[char]!);
}

/** `name="value" …` from an object, skipping undefined values. */
export function xmlAttributes(attributes: Record<string, string | number | undefined>): string {
  let out = '';
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined) out += ` ${name}="${escapeXmlAttribute(String(value))}"`;
  }
  return out;
}
