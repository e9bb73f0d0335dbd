/**
 * Who can reach the cloud. It checks no credentials (any access key is accepted) and runs the
 * function code it is given with the rights of the user who started it, so it listens on the
 * loopback address unless `--host` names another; then it says what that means.
 */

/** 127.0.0.0/8, ::1 and localhost: only this machine */
export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** the warning for a bind address other than loopback, or undefined for loopback */
export function exposureWarning(host: string, endpoint: string): string | undefined {
  const risk = exposureRisk(host, endpoint);
  return risk && `warning: ${risk}`;
}

/** the same without its `warning:` mark, for the CLI's I/O host, which puts its own */
export function exposureRisk(host: string, endpoint: string): string | undefined {
  if (isLoopback(host)) return undefined;
  const where = host === '0.0.0.0' || host === '::' ? 'every network interface of this machine' : host;
  return (
    `the embedded cloud listens on ${where} (${endpoint}): anyone who can reach that address can run code in it, ` +
    'with your user\'s rights on this machine, and read or change everything it holds; it checks no credentials. ' +
    'Use --host 127.0.0.1 (the default) unless that is what you want.'
  );
}
