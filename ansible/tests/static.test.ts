// Static checks of the Ansible tree with the real tools: ansible-lint (production profile,
// offline), yamllint, `ansible-playbook --syntax-check` of every playbook, and `nginx -t` on
// the nginx role's configuration rendered by real Ansible (the role's own tasks, connection
// local, into a scratch folder). Prints how long lint and syntax checks take.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeWithTools } from '../../test/support/tools.js';
import { ANSIBLE_DIR, recapChanged, run, tail } from './support/ansible.js';

const PLAYBOOKS = [
  'site.yml',
  ...readdirSync(path.join(ANSIBLE_DIR, 'playbooks'))
    .filter((f) => f.endsWith('.yml'))
    .map((f) => `playbooks/${f}`),
];

const report = (line: string) => process.stderr.write(`[ansible static] ${line}\n`);

describeWithTools(['ansible-lint'], 'ansible-lint (production profile, offline)', () => {
  test('passes with no violations and no skipped rules', () => {
    const cfg = readFileSync(path.join(ANSIBLE_DIR, '.ansible-lint'), 'utf8');
    expect(cfg).toMatch(/^profile: production$/m);
    expect(cfg).toMatch(/^offline: true$/m);
    // Every skipped rule needs a written reason on its line.
    const skipBlock = cfg.split(/^skip_list:/m)[1]?.split(/^\S/m)[0] ?? '';
    for (const line of skipBlock.split('\n').filter((l) => /^\s+- /.test(l))) {
      expect(line).toMatch(/#\s*\S+/);
    }
    const r = run('ansible-lint', ['--offline', '-p', '--nocolor'], { timeoutMs: 300_000 });
    report(`ansible-lint --offline (production profile): ${(r.ms / 1000).toFixed(1)} s`);
    if (r.status !== 0) throw new Error(`ansible-lint failed (${r.status}):\n${tail(r, 60)}`);
    expect(`${r.stdout}${r.stderr}`).toMatch(/Passed with production profile/);
  }, 320_000);
});

describeWithTools(['yamllint'], 'yamllint', () => {
  test('the Ansible tree is clean', () => {
    const r = run('yamllint', ['-s', '-c', '.yamllint', '.'], { timeoutMs: 120_000 });
    if (r.status !== 0) throw new Error(`yamllint failed:\n${tail(r)}`);
  }, 130_000);

  test('yamllint can fail (a broken file is reported)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lab-yamllint-'));
    try {
      writeFileSync(path.join(dir, 'bad.yml'), '---\nkey: [unclosed\n');
      const r = run('yamllint', ['-s', '-c', '.yamllint', path.join(dir, 'bad.yml')]);
      expect(r.status).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describeWithTools(['ansible-playbook'], 'ansible-playbook --syntax-check', () => {
  test.each(PLAYBOOKS)('%s', (playbook) => {
    const r = run('ansible-playbook', ['--syntax-check', '-i', 'localhost,', playbook], { timeoutMs: 120_000 });
    report(`syntax-check ${playbook}: ${(r.ms / 1000).toFixed(1)} s`);
    if (r.status !== 0) throw new Error(`syntax check of ${playbook} failed:\n${tail(r)}`);
  }, 130_000);

  test('site.yml runs the preflight play first, then one playbook per tier', () => {
    const site = readFileSync(path.join(ANSIBLE_DIR, 'site.yml'), 'utf8');
    const imports = [...site.matchAll(/import_playbook:\s*(\S+)/g)].map((m) => m[1]);
    expect(imports).toEqual([
      'playbooks/preflight.yml',
      'playbooks/common.yml',
      'playbooks/jenkins.yml',
      'playbooks/app.yml',
      'playbooks/monitoring.yml',
    ]);
  });
});

describeWithTools(['ansible-playbook', 'nginx'], 'nginx role rendered by Ansible passes nginx -t', () => {
  let dir: string;
  let conf: string;
  let firstRun: ReturnType<typeof run>;

  const vars = () => ({
    nginx_conf_dir: conf,
    nginx_check_script: path.join(dir, 'lab-nginx-check'),
    nginx_log_dir: dir,
    nginx_pid_file: path.join(dir, 'nginx.pid'),
    nginx_modules_include: '',
    nginx_manage_service: false,
    nginx_conf_owner: os.userInfo().username,
    nginx_conf_group: spawnSync('id', ['-gn'], { encoding: 'utf8' }).stdout.trim(),
    lab_ip: '10.77.0.20',
    lab_app_bind_address: '10.77.0.20',
    lab_replicas: { catalog: 3, orders: 2 },
    lab_nodes: [{ name: 'monitoring', ip: '10.77.0.40', role: 'monitoring' }],
  });

  const render = (extra: Record<string, unknown> = {}) => {
    const file = path.join(dir, `vars-${Date.now()}.json`);
    writeFileSync(file, JSON.stringify({ ...vars(), ...extra }));
    return run('ansible-playbook', ['-i', 'localhost,', 'tests/playbooks/render-nginx.yml', '-e', `@${file}`], {
      timeoutMs: 240_000,
    });
  };

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'lab-nginx-render-'));
    conf = path.join(dir, 'conf');
    mkdirSync(conf);
    // nginx.conf includes mime.types relative to itself, as on a host.
    copyFileSync('/etc/nginx/mime.types', path.join(conf, 'mime.types'));
    firstRun = render();
    if (firstRun.status !== 0) throw new Error(`rendering failed:\n${tail(firstRun, 60)}`);
  }, 260_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const nginxT = () =>
    spawnSync('timeout', ['30', 'nginx', '-t', '-p', `${conf}/`, '-c', path.join(conf, 'nginx.conf')], {
      encoding: 'utf8',
    });

  test('every template rendered and the whole tree passes nginx -t', () => {
    for (const f of ['nginx.conf', 'lab/http.d/upstreams.conf', 'lab/http.d/site.conf', 'lab/http.d/status.conf',
      'lab/active-slot/catalog.conf', 'lab/active-slot/orders.conf']) {
      expect(readFileSync(path.join(conf, f), 'utf8').length).toBeGreaterThan(0);
    }
    const r = nginxT();
    if (r.status !== 0) throw new Error(`nginx -t failed:\n${r.stderr}`);
    expect(r.stderr).toMatch(/test is successful/);
  });

  test('upstreams follow the port formula of group_vars/all.yml for each slot and replica', () => {
    const up = readFileSync(path.join(conf, 'lab/http.d/upstreams.conf'), 'utf8');
    const servers = (name: string) =>
      [...((up.split(`upstream ${name} {`)[1] ?? '').split('}')[0] ?? '').matchAll(/server (\S+) max_fails/g)].map((m) => m[1]);
    expect(servers('upstream_catalog_blue')).toEqual(['10.77.0.20:3101', '10.77.0.20:3102', '10.77.0.20:3103']);
    expect(servers('upstream_catalog_green')).toEqual(['10.77.0.20:3111', '10.77.0.20:3112', '10.77.0.20:3113']);
    expect(servers('upstream_orders_green')).toEqual(['10.77.0.20:3211', '10.77.0.20:3212']);
    expect(up).toMatch(/keepalive 32;/);
    const main = readFileSync(path.join(conf, 'nginx.conf'), 'utf8');
    expect(main).toMatch(/keepalive_requests 100000;/);
    expect(main).toMatch(/log_format lab_json escape=json/);
    const status = readFileSync(path.join(conf, 'lab/http.d/status.conf'), 'utf8');
    expect(status).toMatch(/allow 10\.77\.0\.40;/);
    expect(status).toMatch(/deny all;/);
  });

  test('a second run changes nothing (idempotent)', () => {
    const r = render();
    if (r.status !== 0) throw new Error(tail(r));
    expect(recapChanged(firstRun.stdout).localhost).toBeGreaterThan(0);
    expect(recapChanged(r.stdout).localhost).toBe(0);
  }, 240_000);

  test('the validation wrapper refuses a broken snippet and the live file stays', () => {
    const before = readFileSync(path.join(conf, 'lab/http.d/upstreams.conf'), 'utf8');
    const bad = path.join(dir, 'bad.conf');
    writeFileSync(bad, 'upstream broken { server; }\n');
    const script = path.join(dir, 'lab-nginx-check');
    const refused = spawnSync('timeout', ['30', script, conf, 'lab/http.d/upstreams.conf', bad], { encoding: 'utf8' });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/nginx/);
    const ok = spawnSync('timeout', ['30', script, conf, 'lab/http.d/upstreams.conf', path.join(conf, 'lab/http.d/upstreams.conf')], {
      encoding: 'utf8',
    });
    expect(ok.status).toBe(0);
    expect(readFileSync(path.join(conf, 'lab/http.d/upstreams.conf'), 'utf8')).toBe(before);
  });
});

describeWithTools(['ansible-playbook'], 'scripts the roles install parse', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'lab-role-scripts-'));
    const r = run('ansible-playbook', ['-i', 'localhost,', 'tests/playbooks/render-scripts.yml', '-e', `render_dir=${dir}`], {
      timeoutMs: 180_000,
    });
    if (r.status !== 0) throw new Error(`rendering failed:\n${tail(r, 40)}`);
  }, 200_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // mongosh runs these with Node's parser: `node --check` is a real syntax check.
  test.each(['users.js', 'verify.js'])('mongosh script %s is valid JavaScript', (file) => {
    const r = spawnSync('timeout', ['30', process.execPath, '--check', path.join(dir, file)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    const text = readFileSync(path.join(dir, file), 'utf8');
    expect(text).toMatch(/"mongodb_catalog_password"/);
    expect(text).not.toMatch(/\{\{|\}\}/);
  });

  test('users.js gives each service readWrite on its own database only', () => {
    const text = readFileSync(path.join(dir, 'users.js'), 'utf8');
    expect(text).toMatch(/role: 'readWrite', db: u\.db/);
    expect(text).toContain('{"user": "catalog", "db": "catalog", "secret": "mongodb_catalog_password"}');
    expect(text).toContain('{"user": "orders", "db": "orders", "secret": "mongodb_orders_password"}');
  });

  test.each(['lab-mongodb-backup.sh', 'jmeter-wrapper.sh', '../roles/nginx/files/lab-nginx-check.sh'])('shell script %s parses (sh -n)', (file) => {
    const full = file.startsWith('..') ? path.join(ANSIBLE_DIR, file.replace('../', '')) : path.join(dir, file);
    const r = spawnSync('timeout', ['30', 'sh', '-n', full], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
  });

  test('the backup never puts the password on a command line', () => {
    const text = readFileSync(path.join(dir, 'lab-mongodb-backup.sh'), 'utf8');
    expect(text).toMatch(/--config=\/run\/lab-secrets\/mongodump\.yml/);
    expect(text).not.toMatch(/--password/);
  });

  test('a broken script is caught (node --check can fail)', () => {
    const bad = path.join(dir, 'bad.js');
    writeFileSync(bad, 'const x = ;\n');
    const r = spawnSync('timeout', ['30', process.execPath, '--check', bad], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
  });
});
