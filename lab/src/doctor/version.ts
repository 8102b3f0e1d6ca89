// Version strings as tools print them ("Vagrant 2.3.4", "ansible-playbook [core 2.14.18]").

/** The first x.y[.z] in a text, as numbers; null when there is none. */
export function parseVersion(text: string): [number, number, number] | null {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : null;
}

/** Whether `version` (as printed) is at least `min` ("2.14.0"). */
export function atLeast(version: string, min: string): boolean {
  const v = parseVersion(version);
  const m = parseVersion(min);
  if (!v || !m) return false;
  for (let i = 0; i < 3; i++) {
    if (v[i]! !== m[i]!) return v[i]! > m[i]!;
  }
  return true;
}

export const formatVersion = (v: readonly number[]): string => v.join('.');
