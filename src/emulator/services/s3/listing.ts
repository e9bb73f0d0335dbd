/**
 * The pure part of ListObjects / ListObjectsV2: which keys and common prefixes one page holds.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
 * - keys come in UTF-8 binary order ("returns objects in UTF-8 character encoding in lexicographical order");
 * - with a delimiter, keys sharing `prefix + … + delimiter` roll up into one CommonPrefixes entry,
 *   which counts once against max-keys;
 * - the page resumes strictly after a key (start-after, or the key a continuation token names).
 */

export interface ListOptions {
  prefix: string;
  delimiter?: string;
  /** exclusive start: only keys after this one */
  after?: string;
  maxKeys: number;
}

export interface ListPage<T> {
  contents: T[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** the last key this page consumed (rolled-up keys included): where the next page resumes */
  lastKey?: string;
}

export function listPage<T extends { key: string }>(sorted: readonly T[], opts: ListOptions): ListPage<T> {
  const page: ListPage<T> = { contents: [], commonPrefixes: [], isTruncated: false };
  if (opts.maxKeys <= 0) return page;
  let count = 0;
  for (const entry of sorted) {
    const key = entry.key;
    if (opts.after !== undefined && compareKeys(key, opts.after) <= 0) continue;
    if (!key.startsWith(opts.prefix)) continue;
    let common: string | undefined;
    if (opts.delimiter) {
      const at = key.indexOf(opts.delimiter, opts.prefix.length);
      if (at >= 0) common = key.slice(0, at + opts.delimiter.length);
    }
    if (common !== undefined && page.commonPrefixes[page.commonPrefixes.length - 1] === common) {
      page.lastKey = key;
      continue;
    }
    if (count === opts.maxKeys) {
      page.isTruncated = true;
      break;
    }
    if (common !== undefined) page.commonPrefixes.push(common);
    else page.contents.push(entry);
    count++;
    page.lastKey = key;
  }
  return page;
}

/** UTF-8 byte order, which is code point order; JS `<` compares UTF-16 units and differs above U+D7FF */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codeUnitRank(x) - codeUnitRank(y);
  }
  return a.length - b.length;
}

function codeUnitRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000; // surrogates: code points above U+FFFF
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

const TOKEN_TAG = 'sol1:';

/** continuation tokens are opaque to clients; ours name the key to resume after */
export function encodeContinuationToken(lastKey: string): string {
  return Buffer.from(TOKEN_TAG + lastKey, 'utf8').toString('base64');
}

export function decodeContinuationToken(token: string): string | undefined {
  const text = Buffer.from(token, 'base64').toString('utf8');
  return text.startsWith(TOKEN_TAG) ? text.slice(TOKEN_TAG.length) : undefined;
}

/**
 * `encoding-type=url`: S3 URL-encodes key names in the answer. botocore decodes them with
 * `unquote_plus`, so a literal `+` must go out as `%2B` (encodeURIComponent does that); `/` is kept.
 */
export function urlEncodeKey(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, '/');
}
