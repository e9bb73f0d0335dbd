/**
 * Whether a package that ships only ES modules (wrap-ansi, chalk) can be required synchronously
 * where it is first needed, instead of imported with the module that uses it: io/word-wrap.ts and
 * io/terminal.ts load theirs so, as piped commands and the cloud need neither. `require()` of an
 * ES module is on by default from 20.19, 22.12 and 23.0 and says nothing of it from 20.19, 22.13
 * and 23.5 (22.12 and 23.0–23.4 print an ExperimentalWarning); --no-experimental-require-module
 * turns it off (features.require_module).
 */
export function requiresEsmQuietly(version: string = process.versions.node, enabled: boolean = process.features.require_module === true): boolean {
  if (!enabled) return false;
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major === 20) return minor >= 19;
  if (major === 22) return minor >= 13;
  if (major === 23) return minor >= 5;
  return major > 23;
}
