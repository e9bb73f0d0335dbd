/**
 * Template text → plain JSON values, with CloudFormation's short-form tags turned into their
 * long form and the source position of every map key and list item kept aside, so that errors
 * found later (an unknown property, a bad parameter value) can still point at a line.
 *
 * JSON templates go through the same parser: JSON is YAML 1.2.
 * Short forms: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html
 */
import { createRequire } from 'node:module';
import type { Document, Node as YamlNode, ScalarTag, CollectionTag } from 'yaml';
import { IndentationError, TemplateError } from './errors.js';
import type { SourcePosition, TemplateValue } from './types.js';

/**
 * The yaml package, required when a template is first parsed, not when this module is loaded:
 * the lab's steps load the template code, and most processes that load the steps (reset, a test
 * of a step's words) parse no template; yaml cost 0.08 s of CPU to load. It is CommonJS for Node
 * (its `node` export), so require yields the module an import would.
 */
const yaml = (): typeof import('yaml') => createRequire(import.meta.url)('yaml');

type Shape = 'scalar' | 'seq' | 'map';

/** Each short tag, the long form it stands for, and the node shapes CloudFormation accepts for it. */
const SHORT_TAGS: Record<string, { fn: string; shapes: Shape[] }> = {
  '!Ref': { fn: 'Ref', shapes: ['scalar'] },
  '!Condition': { fn: 'Condition', shapes: ['scalar'] },
  '!GetAtt': { fn: 'Fn::GetAtt', shapes: ['scalar', 'seq'] },
  '!Sub': { fn: 'Fn::Sub', shapes: ['scalar', 'seq'] },
  '!Join': { fn: 'Fn::Join', shapes: ['seq'] },
  '!Select': { fn: 'Fn::Select', shapes: ['seq'] },
  '!Split': { fn: 'Fn::Split', shapes: ['seq'] },
  '!If': { fn: 'Fn::If', shapes: ['seq'] },
  '!Equals': { fn: 'Fn::Equals', shapes: ['seq'] },
  '!Not': { fn: 'Fn::Not', shapes: ['seq'] },
  '!And': { fn: 'Fn::And', shapes: ['seq'] },
  '!Or': { fn: 'Fn::Or', shapes: ['seq'] },
  '!FindInMap': { fn: 'Fn::FindInMap', shapes: ['seq'] },
  '!Base64': { fn: 'Fn::Base64', shapes: ['scalar', 'map'] },
  '!GetAZs': { fn: 'Fn::GetAZs', shapes: ['scalar', 'map'] },
  '!ImportValue': { fn: 'Fn::ImportValue', shapes: ['scalar', 'map'] },
  '!Cidr': { fn: 'Fn::Cidr', shapes: ['seq'] },
};

/**
 * Every short tag is registered for every shape so the yaml library keeps the tag on the node
 * and says nothing; the walk below checks the shape and reports misuse with a position.
 */
const CUSTOM_TAGS: Array<ScalarTag | CollectionTag> = Object.keys(SHORT_TAGS).flatMap((tag) => [
  { tag, resolve: (s: string) => s } as ScalarTag,
  { tag, collection: 'seq', resolve: (n: unknown) => n } as unknown as CollectionTag,
  { tag, collection: 'map', resolve: (n: unknown) => n } as unknown as CollectionTag,
]);

/** Positions of map keys and list items of the parsed values, looked up by container object. */
export class SourceMap {
  private readonly keys = new WeakMap<object, Map<string | number, SourcePosition>>();
  private readonly starts = new WeakMap<object, SourcePosition>();
  constructor(readonly file: string) {}

  setKey(container: object, key: string | number, pos: SourcePosition): void {
    let m = this.keys.get(container);
    if (!m) this.keys.set(container, (m = new Map()));
    m.set(key, pos);
  }
  setStart(value: object, pos: SourcePosition): void {
    this.starts.set(value, pos);
  }
  /** where `container[key]` is written (the key of a map entry, the item of a list) */
  at(container: unknown, key?: string | number): SourcePosition | undefined {
    if (container === null || typeof container !== 'object') return undefined;
    if (key !== undefined) return this.keys.get(container)?.get(key) ?? this.starts.get(container);
    return this.starts.get(container);
  }
}

export interface ParsedTemplate {
  value: TemplateValue;
  positions: SourceMap;
}

/** Parses YAML or JSON template text. `file` is only used in messages. */
export function parseTemplateText(text: string, file: string): ParsedTemplate {
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { customTags: CUSTOM_TAGS, lineCounter, prettyErrors: false, uniqueKeys: true });
  const pos = (offset: number | undefined): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset ?? 0);
    return { file, line, column: col };
  };
  const first = doc.errors[0];
  if (first) {
    const off = INDENT_CODES.has(first.code) ? misindented(text, lineCounter.linePos(first.pos[0]).line) : undefined;
    if (off) throw indentationError(off, file);
    throw new TemplateError(`invalid template: ${first.message}`, pos(first.pos[0]));
  }
  const positions = new SourceMap(file);
  const walker = new Walker(doc, text, positions, pos);
  const value = walker.toValue(doc.contents as YamlNode | null);
  return { value, positions };
}

class Walker {
  private readonly y = yaml();

  constructor(
    private readonly doc: Document,
    private readonly text: string,
    private readonly positions: SourceMap,
    private readonly pos: (offset: number | undefined) => SourcePosition,
  ) {}

  /** The yaml library keeps where a node's value starts; errors about a tag point at the tag. */
  private tagOffset(node: YamlNode): number | undefined {
    const start = node.range?.[0];
    if (start === undefined || !node.tag) return start;
    const at = this.text.lastIndexOf(node.tag, start);
    return at >= 0 && start - at <= node.tag.length + 80 ? at : start;
  }

  toValue(node: YamlNode | null, depth = 0): TemplateValue {
    if (node === null || node === undefined) return null;
    if (depth > 200) throw new TemplateError('template nests too deeply', this.pos(node.range?.[0]));
    if (this.y.isAlias(node)) {
      const target = node.resolve(this.doc);
      if (!target) throw new TemplateError(`unknown YAML alias *${node.source}`, this.pos(node.range?.[0]));
      return this.toValue(target as YamlNode, depth + 1);
    }
    const tag = node.tag;
    const short = tag && tag.startsWith('!') ? SHORT_TAGS[tag] : undefined;
    if (tag && tag.startsWith('!') && !short) {
      throw new TemplateError(
        `unknown tag ${tag}`,
        this.pos(this.tagOffset(node)),
        `CloudFormation's short forms are ${Object.keys(SHORT_TAGS).join(' ')}`,
      );
    }
    const inner = this.plain(node, depth);
    if (!short) return inner;
    const shape: Shape = this.y.isMap(node) ? 'map' : this.y.isSeq(node) ? 'seq' : 'scalar';
    if (!short.shapes.includes(shape)) {
      const expected = short.shapes.map((s) => (s === 'seq' ? 'a list' : s === 'map' ? 'a mapping' : 'a string')).join(' or ');
      throw new TemplateError(`${tag} expects ${expected}, not ${shape === 'seq' ? 'a list' : shape === 'map' ? 'a mapping' : 'a string'}`, this.pos(this.tagOffset(node)));
    }
    let arg: TemplateValue = inner;
    if (tag === '!GetAtt' && typeof inner === 'string') {
      // `!GetAtt A.B.C` is resource `A`, attribute `B.C`: CloudFormation splits at the first dot.
      const dot = inner.indexOf('.');
      if (dot <= 0 || dot === inner.length - 1) {
        throw new TemplateError(`!GetAtt expects LogicalId.Attribute, got "${inner}"`, this.pos(this.tagOffset(node)));
      }
      arg = [inner.slice(0, dot), inner.slice(dot + 1)];
    } else if (shape === 'scalar' && typeof inner !== 'string') {
      arg = inner === null ? '' : String(inner);
    }
    const out: { [k: string]: TemplateValue } = { [short.fn]: arg };
    this.positions.setStart(out, this.pos(this.tagOffset(node)));
    this.positions.setKey(out, short.fn, this.pos(this.tagOffset(node)));
    return out;
  }

  private plain(node: YamlNode, depth: number): TemplateValue {
    if (this.y.isScalar(node)) {
      const v = node.value;
      if (v === null || v === undefined) return null;
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
      if (typeof v === 'bigint') return Number(v);
      return String(v);
    }
    if (this.y.isMap(node)) {
      const out: { [k: string]: TemplateValue } = {};
      this.positions.setStart(out, this.pos(node.range?.[0]));
      for (const pair of node.items) {
        const keyNode = pair.key as YamlNode | null;
        const key = this.y.isScalar(keyNode) ? String(keyNode.value) : null;
        if (key === null) throw new TemplateError('map keys must be plain strings', this.pos(keyNode?.range?.[0] ?? node.range?.[0]));
        this.positions.setKey(out, key, this.pos(keyNode?.range?.[0]));
        out[key] = this.toValue(pair.value as YamlNode | null, depth + 1);
      }
      return out;
    }
    if (this.y.isSeq(node)) {
      const out: TemplateValue[] = [];
      this.positions.setStart(out, this.pos(node.range?.[0]));
      node.items.forEach((item, i) => {
        this.positions.setKey(out, i, this.pos((item as YamlNode | null)?.range?.[0] ?? node.range?.[0]));
        out.push(this.toValue(item as YamlNode | null, depth + 1));
      });
      return out;
    }
    throw new TemplateError('unsupported YAML node', this.pos((node as YamlNode).range?.[0]));
  }
}

/**
 * The yaml library's errors of a mis-indented key, which it reports where it noticed them rather
 * than at the key: BAD_INDENT ("All mapping items must start at the same column") at the start of
 * the comment lines above a key indented 7 spaces among keys at 6, and BLOCK_AS_IMPLICIT_KEY /
 * MULTILINE_IMPLICIT_KEY at the value of the line before a key indented deeper than it (the key
 * read as that value's continuation).
 */
const INDENT_CODES = new Set(['BAD_INDENT', 'BLOCK_AS_IMPLICIT_KEY', 'MULTILINE_IMPLICIT_KEY']);

export interface Misindented {
  /** 1-based line of the key */
  line: number;
  key: string;
  /** spaces before it */
  indent: number;
  /** spaces before the other keys of its mapping */
  expected: number;
  /** a key of that mapping, to show the column by */
  sibling: { line: number; key: string };
  /** whether lines under it (its block) move with it: none under `Handler: app.handler` */
  nested: boolean;
}

interface TextLine {
  line: number;
  indent: number;
  /** the text after the indentation, without a trailing comment's spaces */
  body: string;
}

/**
 * The first mis-indented mapping key at or after `fromLine` (1-based; the library's error line),
 * among the next few lines that hold more than a comment, with the indentation its mapping's
 * other keys have. Undefined when none is found: the library's message is kept.
 *
 * A key K indented `i` spaces belongs with the nearest line P above it indented less. When P opens
 * a block (`Properties:`), the block's keys start where its first line does; when P holds a value
 * (`AutoPublishAlias: live`), K cannot be its child, and belongs at P's column. That is where the
 * library stops reading, not always the line the learner moved: as a reader would, the key blamed
 * is the one whose column fewer of its neighbours share. `Handler:` dedented to P's column among
 * keys at 6 spaces is read as a key of the mapping above, and the library trips over the next
 * key; the keys around it (those before it and those after) have 6 spaces, so `Handler:` is the
 * odd one. Ties keep K. Block scalars (`|`, `>`) and flow collections are left to the library's
 * message.
 */
export function misindented(text: string, fromLine: number): Misindented | undefined {
  const lines: TextLine[] = [];
  text.split('\n').forEach((raw, i) => {
    const l = raw.replace(/\r$/, '');
    const body = l.trimStart();
    if (body === '' || body.startsWith('#') || /^(---|\.\.\.)(\s|$)/.test(body)) return;
    lines.push({ line: i + 1, indent: l.length - body.length, body: body.trimEnd() });
  });
  const keyOf = (b: string): string | undefined => /^([A-Za-z0-9_.\-/]+|"[^"]*"|'[^']*'):(\s|$)/.exec(b)?.[1];
  // the column a line's mapping keys start at: after a `- ` of a list item
  const keyColumn = (l: TextLine): number => l.indent + (/^(-\s+)+/.exec(l.body)?.[0].length ?? 0);
  const opens = (b: string): boolean => /:\s*(#.*)?$/.test(b);
  // the key a line holds, after the `- ` of a list item
  const lineKey = (l: TextLine): string | undefined => keyOf(l.body.replace(/^(-\s+)+/, ''));
  const isKey = (l: TextLine): boolean => lineKey(l) !== undefined;
  /**
   * The keys at `column` met walking from line `from` in direction `dir` (+1 down, -1 up), stepping
   * over deeper lines, up to a line indented less: the keys one mapping at that column would hold.
   * `stop` is the line walked up to (undefined at either end of the text).
   */
  const keysAt = (column: number, from: number, dir: 1 | -1): { keys: TextLine[]; stop?: TextLine } => {
    const keys: TextLine[] = [];
    for (let q = from; q >= 0 && q < lines.length; q += dir) {
      const l = lines[q]!;
      if (l.indent > column) continue;
      if (l.indent === column && isKey(l) && !l.body.startsWith('-')) {
        keys.push(l);
        continue;
      }
      if (l.indent < column && keyColumn(l) === column && isKey(l)) {
        // `- Version: ...`: the list item's mapping starts here
        keys.push(l);
        return { keys, stop: dir === -1 ? l : undefined };
      }
      return { keys, stop: l };
    }
    return { keys };
  };
  /**
   * Read with `moved` at `column`, among keys of a mapping there: how many of them already are,
   * when the line above those keys can hold them (a line that opens a block, indented less);
   * undefined when it cannot.
   */
  const shareIfMoved = (moved: number, column: number): { above: TextLine[]; count: number } | undefined => {
    const up = keysAt(column, moved - 1, -1);
    if (!up.stop || keyColumn(up.stop) > column) return undefined;
    if (keyColumn(up.stop) < column && !opens(up.stop.body)) return undefined;
    if (keyColumn(up.stop) === column && up.keys.at(-1) !== up.stop) return undefined;
    return { above: up.keys, count: up.keys.length };
  };
  const start = lines.findIndex((l) => l.line >= fromLine);
  if (start < 0) return undefined;
  const result = (odd: TextLine, expected: number, sibling: TextLine): Misindented => {
    const oddKey = lineKey(odd)!;
    const siblingKey = lineKey(sibling) ?? sibling.body.slice(0, 30);
    const under = lines[lines.indexOf(odd) + 1];
    const nested = (opens(odd.body) || /[|>][-+0-9]*\s*(#.*)?$/.test(odd.body)) && under !== undefined && under.indent > odd.indent;
    return { line: odd.line, key: oddKey, indent: odd.indent, expected, sibling: { line: sibling.line, key: siblingKey }, nested };
  };
  for (let k = start; k < Math.min(start + 3, lines.length); k++) {
    const cand = lines[k]!;
    const key = keyOf(cand.body);
    if (key === undefined || k === 0) continue;
    let p = k - 1;
    while (p >= 0 && keyColumn(lines[p]!) >= cand.indent) p--;
    if (p < 0) continue;
    const parent = lines[p]!;
    if (/[|>][-+0-9]*\s*(#.*)?$/.test(parent.body) || /[[{,]\s*(#.*)?$/.test(parent.body)) return undefined;
    let expected: number;
    let sibling: TextLine;
    // the keys at the candidate's column from it on: the keys that share its column
    const after = keysAt(cand.indent, k, 1).keys;
    // the parent, moved to the candidate's column, as a key among the keys around it
    const parentPlain = keyColumn(parent) === parent.indent && isKey(parent);
    // a candidate that opens a block with nothing deeper under it: its block is at its own column,
    // it was moved there alone (`Properties:` indented as its keys are)
    const next = lines[k + 1];
    const movedAlone = opens(cand.body) && next !== undefined && next.indent <= cand.indent;
    const parentMoved = parentPlain && !movedAlone ? shareIfMoved(p, cand.indent) : undefined;
    if (opens(parent.body)) {
      // the block's first line sets its column; that line is the candidate itself: it is where the block is
      sibling = lines[p + 1]!;
      if (sibling === cand) continue;
      expected = sibling.indent;
      if (expected === cand.indent) continue;
      const block = [...keysAt(expected, p + 1, 1).keys, ...keysAt(expected, k + 1, 1).keys];
      const first = lines[p + 1]!;
      if (parentMoved && parentMoved.count + after.length > block.length && parentMoved.count + after.length > after.length) {
        // `Environment:` dedented among keys at 6 spaces: the block under it is deeper still
        return result(parent, cand.indent, parentMoved.above[0] ?? cand);
      }
      if (after.length > block.length && isKey(first) && !first.body.startsWith('-')) {
        // the block's first line indented unlike the keys after it
        return result(first, cand.indent, cand);
      }
    } else {
      if (!isKey(parent)) continue;
      sibling = parent;
      expected = keyColumn(parent);
      if (expected === cand.indent) continue;
      const mapping = [...keysAt(expected, p, -1).keys, ...keysAt(expected, k + 1, 1).keys];
      if (parentMoved && parentMoved.count + after.length > mapping.length) {
        // `Handler:` dedented among keys at 6 spaces: the key after it is where the library stops
        return result(parent, cand.indent, parentMoved.above[0] ?? cand);
      }
    }
    // the nearest key of the mapping above it names the column best
    for (let q = k - 1; q > p; q--) {
      if (lines[q]!.indent === expected && keyOf(lines[q]!.body) !== undefined) {
        sibling = lines[q]!;
        break;
      }
    }
    return result(cand, expected, sibling);
  }
  return undefined;
}

function indentationError(m: Misindented, file: string): IndentationError {
  const spaces = (n: number) => `${n} space${n === 1 ? '' : 's'}`;
  return new IndentationError(
    `invalid template: ${m.key}: is indented ${spaces(m.indent)}; the other keys of its mapping are indented ${spaces(m.expected)} (${m.sibling.key}: on line ${m.sibling.line})`,
    { file, line: m.line, column: m.indent + 1 },
    `indent ${m.key}: ${spaces(m.expected)}, as ${m.sibling.key}: on line ${m.sibling.line}${m.nested ? ` (the lines under it move ${spaces(Math.abs(m.expected - m.indent))} ${m.expected > m.indent ? 'right' : 'left'} with it)` : ''}: YAML nests by indentation, and every key of a mapping starts at the same column`,
    m,
  );
}
