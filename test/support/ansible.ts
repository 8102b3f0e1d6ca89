// Environment for tests that run real Ansible against the repository's roles: plain output,
// no retry files, the roles found wherever the test's scratch playbook lives.
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

export const ansibleEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  ANSIBLE_NOCOLOR: '1',
  ANSIBLE_RETRY_FILES_ENABLED: '0',
  ANSIBLE_ROLES_PATH: path.join(root, 'ansible/roles'),
});
