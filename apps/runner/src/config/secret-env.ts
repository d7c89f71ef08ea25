/** True when an environment variable's name says its value is a secret (`PG_PASSWORD`, `API_TOKEN`, `CLIENT_SECRET`, `X_API_KEY`). */
export function isSecretEnvName(name: string): boolean {
  return name.split(/[_-]/).some((part) => /(pass|password|passwd|token|secret|key|credentials?)s?$/i.test(part));
}

/** The values of every secret-looking environment variable (at least 4 characters, so that redaction does not mangle text). */
export function secretEnvValues(env: Record<string, string | undefined>): string[] {
  return Object.entries(env)
    .filter(([name, value]) => value !== undefined && value.length >= 4 && isSecretEnvName(name))
    .map(([, value]) => value!);
}
