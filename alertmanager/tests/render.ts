// Renders alertmanager/alertmanager.yml.j2 and the message templates with real Ansible (the
// role's template module), so tests check exactly what the role would deploy.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PLAYBOOK = path.join(ROOT, 'alertmanager/tests/render.yml');

/** The repo root has no ansible.cfg; ignore one the caller's environment points at. */
function withoutAnsibleConfig(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const rest = { ...env };
  delete rest.ANSIBLE_CONFIG;
  return rest;
}

export interface Rendered {
  dir: string;
  configFile: string;
  config: string;
}

/**
 * Renders into a new temp folder. `vars` override alertmanager/defaults.yml (as inventory
 * values would); alertmanager_template_dir defaults to the render folder's templates/.
 */
export function renderAlertmanager(vars: Record<string, unknown> = {}): Rendered {
  const dir = mkdtempSync(path.join(tmpdir(), 'lab-am-'));
  const varsFile = path.join(dir, 'vars.json');
  writeFileSync(
    varsFile,
    JSON.stringify({
      render_dest: dir,
      alertmanager_template_dir: path.join(dir, 'templates'),
      ...vars,
    }),
  );
  const r = spawnSync(
    'timeout',
    ['120', 'ansible-playbook', '-i', 'localhost,', PLAYBOOK, '-e', `@${varsFile}`],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        ...withoutAnsibleConfig(process.env),
        ANSIBLE_LOCALHOST_WARNING: 'false',
        ANSIBLE_NOCOLOR: '1',
        ANSIBLE_RETRY_FILES_ENABLED: 'false',
      },
    },
  );
  if (r.status !== 0) {
    throw new Error(
      `ansible-playbook render.yml failed (${r.status}):\n${(r.stdout + r.stderr).slice(-3000)}`,
    );
  }
  const configFile = path.join(dir, 'alertmanager.yml');
  return { dir, configFile, config: readFileSync(configFile, 'utf8') };
}
