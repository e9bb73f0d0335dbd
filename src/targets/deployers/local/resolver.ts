/**
 * The one resolver of a local deploy: what each provisioned resource returned (its physical id
 * for `Ref`, its attributes for `Fn::GetAtt`), read back when a later resource refers to it.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-getatt.html
 */
import { TemplateError, type SamTemplate, type SourcePosition, type TemplateValue } from '../../../template/index.js';

export interface Provisioned {
  type: string;
  /** what `Ref` returns */
  physicalId: string;
  /** what `Fn::GetAtt` returns, by attribute name */
  attributes: Record<string, string>;
  /** what it lives in, for its removal: a deployment group's application, a stage's REST API id */
  within?: string;
}

export class StackResolver {
  readonly #done = new Map<string, Provisioned>();

  constructor(
    readonly template: SamTemplate,
    /** resources the local cloud skips: logical id → type */
    readonly skipped: Map<string, string> = new Map(),
  ) {}

  set(logicalId: string, p: Provisioned): void {
    this.#done.set(logicalId, p);
  }

  get(logicalId: string): Provisioned | undefined {
    return this.#done.get(logicalId);
  }

  entries(): [string, Provisioned][] {
    return [...this.#done.entries()];
  }

  /** Evaluates what is left of a value, failing at `at` (the resource or output using it). */
  evaluate(value: TemplateValue, at?: SourcePosition): TemplateValue {
    return this.template.evaluate(value, {
      ref: (id) => this.#need(id, at, 'Ref').physicalId,
      getAtt: (id, attr) => {
        const p = this.#need(id, at, `Fn::GetAtt ${id}.${attr}`);
        if (!(attr in p.attributes)) {
          const known = Object.keys(p.attributes);
          throw new TemplateError(`!GetAtt ${id}.${attr}: ${p.type} has no attribute ${attr} in the local cloud`, at, known.length ? `attributes: ${known.join(', ')}` : undefined);
        }
        return p.attributes[attr];
      },
    });
  }

  /** Evaluates to a string (numbers and booleans as CloudFormation passes them: as text). */
  string(value: TemplateValue, at?: SourcePosition): string {
    return asString(this.evaluate(value, at));
  }

  #need(id: string, at: SourcePosition | undefined, how: string): Provisioned {
    const p = this.#done.get(id);
    if (p) return p;
    if (this.skipped.has(id)) throw new TemplateError(`${how}: ${id} (${this.skipped.get(id)}) is not emulated by the local cloud`, at);
    throw new TemplateError(`${how}: ${id} is not created by the local deployer at this point`, at);
  }
}

export function asString(v: TemplateValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}
