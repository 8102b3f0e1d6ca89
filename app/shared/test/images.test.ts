// Builds each service image with podman from the offline Node base (no image registry needed;
// npm's registry is reached through the host's CA bundle) and runs it without MongoDB:
// /healthz answers within 5 s, the process is not root, SIGTERM stops it in under 2 s with
// exit 0, the seed entry exists, and the image stays under 250 MB.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './support.js';
import { freePort, waitFor } from '../../../test/support/net.js';
import { describeWithTools } from '../../../test/support/tools.js';

const execFileAsync = promisify(execFile);
const env = {
  ...process.env,
  CONTAINERS_CONF:
    process.env.CONTAINERS_CONF ?? path.join(repoRoot, 'scripts/podman/containers.conf'),
};
const CA_BUNDLE = process.env.LAB_EXTRA_CA_CERT ?? '/etc/ssl/certs/ca-certificates.crt';
const SERVICES = ['catalog', 'orders'] as const;
const MAX_IMAGE_BYTES = 250 * 1000 * 1000;

async function run(cmd: string, args: string[], timeoutMs: number): Promise<string> {
  try {
    const { stdout } = await execFileAsync(cmd, args, {
      cwd: repoRoot,
      env,
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout.trim();
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    const tail = `${e.stdout ?? ''}\n${e.stderr ?? ''}`.trim().split('\n').slice(-25).join('\n');
    throw new Error(
      `${cmd} ${args.slice(0, 3).join(' ')}… failed: ${e.message.split('\n')[0]}\n${tail}`,
    );
  }
}
const podman = (args: string[], timeoutMs = 60_000) => run('podman', args, timeoutMs);

function healthz(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 1_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

describeWithTools(['podman'], 'app images (podman, offline Node base)', () => {
  const suffix = `${process.pid}`;
  const image = (svc: string) => `localhost/cicd-lab/${svc}:image-test-${suffix}`;
  const containers: string[] = [];
  const gitSha = 'f'.repeat(40);

  beforeAll(async () => {
    const base = await run(path.join(repoRoot, 'scripts/images/node-base.sh'), [], 600_000);
    for (const svc of SERVICES) {
      const secret = existsSync(CA_BUNDLE) ? ['--secret', `id=extra_ca,src=${CA_BUNDLE}`] : [];
      await podman(
        [
          'build',
          '--format',
          'docker',
          '--layers',
          '--ignorefile',
          `app/${svc}/Dockerfile.dockerignore`,
          ...secret,
          '--build-arg',
          `NODE_IMAGE=${base.split('\n').pop()}`,
          '--build-arg',
          'VERSION=9.8.7',
          '--build-arg',
          `GIT_SHA=${gitSha}`,
          '--build-arg',
          'BUILD_TIME=2026-01-02T03:04:05Z',
          '-f',
          `app/${svc}/Dockerfile`,
          '-t',
          image(svc),
          '.',
        ],
        900_000,
      );
    }
  }, 1_800_000);

  afterAll(async () => {
    for (const c of containers) await podman(['rm', '-f', '-t', '0', c]).catch(() => undefined);
    for (const svc of SERVICES) await podman(['rmi', '-f', image(svc)]).catch(() => undefined);
  }, 120_000);

  test.each(SERVICES)('%s: size, non-root user, OCI labels, healthcheck', async (svc) => {
    const inspect = JSON.parse(await podman(['image', 'inspect', image(svc)]))[0] as {
      Size: number;
      Config: { User: string; Labels: Record<string, string>; StopSignal?: string };
      Healthcheck?: { Test: string[] };
    };
    process.stdout.write(`${svc} image: ${(inspect.Size / 1e6).toFixed(1)} MB\n`);
    expect(inspect.Size).toBeLessThan(MAX_IMAGE_BYTES);
    expect(inspect.Config.User).toBe('node');
    expect(inspect.Config.Labels).toMatchObject({
      'org.opencontainers.image.version': '9.8.7',
      'org.opencontainers.image.revision': gitSha,
      'org.opencontainers.image.created': '2026-01-02T03:04:05Z',
    });
    expect(inspect.Healthcheck?.Test.join(' ')).toContain('healthcheck.js');
  });

  test.each(SERVICES)(
    '%s: live within 5 s without MongoDB, not root, SIGTERM stop < 2 s with exit 0',
    async (svc) => {
      const port = await freePort();
      const name = `cicd-lab-${svc}-image-test-${suffix}`;
      containers.push(name);
      const started = Date.now();
      await podman([
        'run',
        '-d',
        '--no-healthcheck',
        '--name',
        name,
        '-p',
        `127.0.0.1:${port}:3000`,
        '-e',
        'MONGODB_URI=mongodb://127.0.0.1:9/lab',
        '-e',
        'CATALOG_URL=http://127.0.0.1:9',
        image(svc),
      ]);
      await waitFor(`${svc} /healthz`, async () => (await healthz(port)) === 200, {
        timeoutMs: 5_000,
        intervalMs: 100,
      });
      const liveMs = Date.now() - started;
      expect(await podman(['exec', name, 'id', '-u'])).not.toBe('0');
      expect(
        await podman(['exec', name, 'node', '/app/app/shared/dist/healthcheck.js']).then(
          () => 'ok',
        ),
      ).toBe('ok');
      const version = JSON.parse(
        await podman([
          'exec',
          name,
          'node',
          '-e',
          'fetch("http://127.0.0.1:3000/version").then(r=>r.text()).then(console.log)',
        ]),
      );
      expect(version).toEqual({
        service: svc,
        version: '9.8.7',
        gitSha,
        buildTime: '2026-01-02T03:04:05Z',
      });
      const stopping = Date.now();
      await podman(['stop', '-t', '10', name]);
      const stopMs = Date.now() - stopping;
      process.stdout.write(
        `${svc} container: /healthz 200 after ${liveMs} ms, stop took ${stopMs} ms\n`,
      );
      expect(stopMs).toBeLessThan(2_000);
      expect(await podman(['inspect', '--format', '{{.State.ExitCode}}', name])).toBe('0');
      expect(await podman(['logs', name])).toContain('"msg":"stopped"');
    },
    60_000,
  );

  test.each(SERVICES)(
    '%s: the seed entry runs in the image and fails clearly without MongoDB',
    async (svc) => {
      const err = await podman([
        'run',
        '--rm',
        '--no-healthcheck',
        '-e',
        'MONGODB_URI=mongodb://127.0.0.1:9/lab',
        '-e',
        'MONGODB_CONNECT_ATTEMPTS=1',
        image(svc),
        'node',
        'dist/seed.js',
      ]).then(
        () => null,
        (e: Error) => e.message,
      );
      expect(err).toContain(`${svc} seed failed: could not connect to MongoDB after 1 attempts`);
    },
    60_000,
  );
});
