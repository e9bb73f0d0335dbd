/**
 * Template text → plain JSON values, with CloudFormation's short-form tags turned into their
 * long form and the source position of every map key and list item kept aside, so that errors
 * found later (an unknown property, a bad parameter value) can still point at a line.
 *
 * JSON templates go through the same parser: JSON is YAML 1.2.
 * Short forms: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html
 */
import {
  LineCounter,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  type Document,
  type Node as YamlNode,
  type ScalarTag,
  type CollectionTag,
} from 'yaml';
import { TemplateError } from './errors.js';
import type { SourcePosition, TemplateValue } from './types.js';

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
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { customTags: CUSTOM_TAGS, lineCounter, prettyErrors: false, uniqueKeys: true });
  const pos = (offset: number | undefined): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset ?? 0);
    return { file, line, column: col };
  };
  const first = doc.errors[0];
  if (first) throw new TemplateError(`invalid template: ${first.message}`, pos(first.pos[0]));
  const positions = new SourceMap(file);
  const walker = new Walker(doc, text, positions, pos);
  const value = walker.toValue(doc.contents as YamlNode | null);
  return { value, positions };
}

class Walker {
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
    if (isAlias(node)) {
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
    const shape: Shape = isMap(node) ? 'map' : isSeq(node) ? 'seq' : 'scalar';
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
    if (isScalar(node)) {
      const v = node.value;
      if (v === null || v === undefined) return null;
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
      if (typeof v === 'bigint') return Number(v);
      return String(v);
    }
    if (isMap(node)) {
      const out: { [k: string]: TemplateValue } = {};
      this.positions.setStart(out, this.pos(node.range?.[0]));
      for (const pair of node.items) {
        const keyNode = pair.key as YamlNode | null;
        const key = isScalar(keyNode) ? String(keyNode.value) : null;
        if (key === null) throw new TemplateError('map keys must be plain strings', this.pos(keyNode?.range?.[0] ?? node.range?.[0]));
        this.positions.setKey(out, key, this.pos(keyNode?.range?.[0]));
        out[key] = this.toValue(pair.value as YamlNode | null, depth + 1);
      }
      return out;
    }
    if (isSeq(node)) {
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
