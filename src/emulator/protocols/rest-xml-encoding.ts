/**
 * The byte-level pieces of the restXml codec: XML out (plain object → elements), XML in (elements →
 * plain object), and S3's `aws-chunked` content encoding. No knowledge of any operation.
 */

// ---- XML out ---------------------------------------------------------------------------------

/**
 * Writes `value` as the children of an element. The object mirrors the XML: each member is an
 * element of that name; an array is the element repeated (S3's flattened lists: `Contents`,
 * `CommonPrefixes`); a wrapped list is written as `{ Buckets: { Bucket: [...] } }`. Dates are
 * ISO-8601 with milliseconds (restXml's default timestamp format), Buffers base64, `undefined`
 * and `null` members are left out.
 */
export function xmlChildren(value: Record<string, unknown>): string {
  let out = '';
  for (const [name, member] of Object.entries(value)) {
    if (member === undefined || member === null) continue;
    const items = Array.isArray(member) ? member : [member];
    for (const item of items) {
      if (item === undefined || item === null) continue;
      out += `<${name}>${xmlValue(item)}</${name}>`;
    }
  }
  return out;
}

function xmlValue(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'object') return xmlChildren(value as Record<string, unknown>);
  return escapeXml(String(value));
}

export function xmlDocument(root: string, value: Record<string, unknown>, namespace?: string): string {
  const ns = namespace ? ` xmlns="${escapeXml(namespace)}"` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${ns}>${xmlChildren(value)}</${root}>`;
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r]/g, (c) => XML_ESCAPES[c]!);
}

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // a raw CR would be normalised away by the client's XML parser
  '\r': '&#13;',
};

// ---- XML in ----------------------------------------------------------------------------------

export type XmlValue = string | XmlObject;
export interface XmlObject {
  [name: string]: XmlValue | XmlValue[];
}

/**
 * Reads a small XML request body (S3's `CreateBucketConfiguration` and the like) into a plain object:
 * `{ root: string, value }`, where an element with children becomes an object, a leaf its text, and a
 * repeated element an array. Attributes (namespaces) are ignored. Throws `SyntaxError` on malformed
 * XML; DTDs and entities other than the five predefined and numeric ones are refused.
 */
export function parseXml(text: string): { root: string; value: XmlValue } {
  const tokens = /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>|<!([^>]*)>|<\/\s*([^\s>]+)\s*>|<([^\s/>]+)((?:\s+[^\s=>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/gy;
  interface Frame {
    name: string;
    children: XmlObject;
    text: string;
    hasChildren: boolean;
  }
  const stack: Frame[] = [];
  let root: { root: string; value: XmlValue } | undefined;
  let index = 0;
  const close = (frame: Frame): XmlValue => (frame.hasChildren ? frame.children : frame.text);
  const attach = (name: string, value: XmlValue) => {
    const parent = stack[stack.length - 1];
    if (!parent) {
      if (root) throw new SyntaxError('more than one root element');
      root = { root: name, value };
      return;
    }
    parent.hasChildren = true;
    const existing = Object.prototype.hasOwnProperty.call(parent.children, name) ? parent.children[name] : undefined;
    if (existing === undefined) {
      Object.defineProperty(parent.children, name, { value, enumerable: true, writable: true, configurable: true });
    } else if (Array.isArray(existing)) existing.push(value);
    else parent.children[name] = [existing, value];
  };
  while (index < text.length) {
    tokens.lastIndex = index;
    const m = tokens.exec(text);
    if (!m) throw new SyntaxError(`unexpected character at offset ${index}`);
    index = tokens.lastIndex;
    const [, cdata, bang, closing, opening, , selfClosing, chars] = m;
    if (bang !== undefined) throw new SyntaxError('DTDs and declarations are not accepted');
    if (cdata !== undefined) {
      if (!stack.length) throw new SyntaxError('text outside the root element');
      stack[stack.length - 1]!.text += cdata;
    } else if (closing !== undefined) {
      const frame = stack.pop();
      if (!frame || frame.name !== closing) throw new SyntaxError(`unexpected </${closing}>`);
      attach(frame.name, close(frame));
    } else if (opening !== undefined) {
      if (selfClosing) attach(opening, '');
      else stack.push({ name: opening, children: {}, text: '', hasChildren: false });
    } else if (chars !== undefined) {
      const frame = stack[stack.length - 1];
      if (!frame) {
        if (chars.trim()) throw new SyntaxError('text outside the root element');
      } else frame.text += unescapeXml(chars);
    }
  }
  if (stack.length) throw new SyntaxError(`<${stack[stack.length - 1]!.name}> is not closed`);
  if (!root) throw new SyntaxError('no root element');
  return root;
}

function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (_all, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    const c = named[ref];
    if (c === undefined) throw new SyntaxError(`unknown entity &${ref};`);
    return c;
  });
}

// ---- aws-chunked -----------------------------------------------------------------------------

/**
 * Decodes an `aws-chunked` body: `<hex-size>[;chunk-signature=…]\r\n<data>\r\n` repeated, a
 * zero-size chunk, optional trailer lines (`x-amz-checksum-crc32:…`), and a final `\r\n`.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html
 * Chunk signatures and trailing checksums are not verified (the emulator checks no signature).
 */
export function decodeAwsChunked(body: Buffer): { data: Buffer; trailers: Record<string, string> } {
  const parts: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', pos);
    if (eol < 0) throw new SyntaxError('aws-chunked body: a chunk header has no CRLF');
    const header = body.subarray(pos, eol).toString('latin1');
    const sizeText = header.split(';', 1)[0]!.trim();
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) throw new SyntaxError(`aws-chunked body: bad chunk size "${sizeText}"`);
    const size = parseInt(sizeText, 16);
    pos = eol + 2;
    if (size === 0) break;
    if (pos + size + 2 > body.length) throw new SyntaxError('aws-chunked body: a chunk is shorter than its size');
    parts.push(body.subarray(pos, pos + size));
    pos += size;
    if (body[pos] !== 0x0d || body[pos + 1] !== 0x0a) throw new SyntaxError('aws-chunked body: a chunk does not end with CRLF');
    pos += 2;
  }
  const trailers: Record<string, string> = {};
  for (const line of body.subarray(pos).toString('latin1').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { data: Buffer.concat(parts), trailers };
}
