import { LabError } from '../errors.js';
import type { SourcePosition } from './types.js';

/**
 * A template that cannot be loaded. The message starts with `file:line:column` when the
 * position is known, the way compilers print it, so editors can jump to it.
 */
export class TemplateError extends LabError {
  override readonly name: string = 'TemplateError';
  constructor(
    readonly reason: string,
    readonly position?: SourcePosition,
    hint?: string,
  ) {
    super(position ? `${formatPosition(position)}: ${reason}` : reason, undefined, hint);
  }
  get file(): string | undefined {
    return this.position?.file;
  }
  get line(): number | undefined {
    return this.position?.line;
  }
  get column(): number | undefined {
    return this.position?.column;
  }
}

export function formatPosition(p: SourcePosition): string {
  return `${p.file}:${p.line}:${p.column}`;
}

/**
 * A Ref or Fn::GetAtt to a name the template does not define. The YAML is fine: the hint names the
 * template's close names instead of pointing at indentation.
 */
export class UnknownReferenceError extends TemplateError {
  override readonly name: string = 'UnknownReferenceError';
  constructor(
    reason: string,
    /** the name referred to */
    readonly missing: string,
    position?: SourcePosition,
    hint?: string,
  ) {
    super(reason, position, hint);
  }
}

/**
 * A mapping key indented unlike the other keys of its mapping, at the key itself: the yaml
 * library reports it where it noticed (the comment lines above it, or the value before it).
 */
export class IndentationError extends TemplateError {
  override readonly name: string = 'IndentationError';
  constructor(
    reason: string,
    position: SourcePosition,
    hint: string,
    /** the key and the indentation its mapping's keys have */
    readonly misindented: { key: string; indent: number; expected: number },
  ) {
    super(reason, position, hint);
  }
}
