/**
 * SAM/CloudFormation template loading: the subset of SAM that the lab deploys.
 *
 *   const t = await loadTemplate('sam-app/template.yaml', { region: 'us-east-1' });
 *   for (const fn of t.functions) await assertHandlerFile(fn);
 *   const url = t.evaluate(t.outputs.find(o => o.name === 'ApiUrl')!.value, resolver);
 */
export type {
  AlarmSpec,
  ApiEventSpec,
  ApiRoute,
  BucketSpec,
  DeploymentPreferenceSpec,
  LoadOptions,
  OutputSpec,
  PlainResource,
  StackResource,
  ResourceResolver,
  SamApi,
  SamFunction,
  SamTemplate,
  SourcePosition,
  TemplateValue,
  UnsupportedResource,
} from './types.js';
export { IndentationError, TemplateError, UnknownReferenceError, formatPosition } from './errors.js';
export { loadTemplate, parseTemplate } from './load.js';
export { evaluate } from './intrinsics.js';
export { findHandlerFile, assertHandlerFile, handlerCandidates } from './handler.js';
export { IMPLICIT_API_ID, IMPLICIT_API_STAGE } from './sam.js';
export { toStackResources } from './transform.js';
export { deploymentPreferenceResources, CODEDEPLOY_APPLICATION_ID, CODEDEPLOY_SERVICE_ROLE_ID } from './deployment-preference.js';
