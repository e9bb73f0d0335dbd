import { parseTemplate, TemplateError, type LoadOptions, type SamTemplate, type TemplateValue } from '../../src/template/index.js';
import assert from 'node:assert/strict';

export const FILE = '/lab/sam-app/template.yaml';

/** A SAM template around some resources (YAML text, indented by 2 under Resources). */
export function sam(resources: string, extra = ''): string {
  return `Transform: AWS::Serverless-2016-10-31\n${extra}\nResources:\n${resources}`;
}

export function load(text: string, options?: LoadOptions): SamTemplate {
  return parseTemplate(text, FILE, options);
}

/** A resolver that writes what it was asked, so tests can see the ids the evaluator passes. */
export const echo = {
  ref: (id: string) => `<${id}>`,
  getAtt: (id: string, attr: string) => `<${id}.${attr}>`,
};

/** Loads `value` as the Value of an output and returns what the loader kept of it. */
export function outputValue(yamlValue: string, options?: LoadOptions, extra = ''): TemplateValue {
  const t = load(sam('  Bucket:\n    Type: AWS::S3::Bucket\n', `${extra}\nOutputs:\n  Out:\n    Value: ${yamlValue}\n`), options);
  return t.outputs[0].value;
}

/** Asserts a TemplateError at line:column whose message matches. */
export function throwsAt(fn: () => unknown, line: number, column: number, message: RegExp): TemplateError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof TemplateError, `expected a TemplateError, got ${String(caught)}`);
  assert.match(caught.message, message);
  assert.equal(caught.file, FILE);
  assert.deepEqual([caught.line, caught.column], [line, column], caught.message);
  assert.ok(caught.message.startsWith(`${FILE}:${line}:${column}: `), caught.message);
  return caught;
}
