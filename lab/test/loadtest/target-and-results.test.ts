import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../../test/support/net.js';
import { ExitCode, LabError } from '../../src/errors.js';
import { labErrorOf } from './errors.js';
import { inspectJtl, logTail } from '../../src/loadtest/results.js';
import { checkReachable, resolveTarget, targetUrl } from '../../src/loadtest/target.js';

const config = () => ({
  nodes: [
    { name: 'jenkins', role: 'jenkins', ip: '192.168.56.10' },
    { name: 'staging', role: 'app', env: 'staging', ip: '192.168.56.11' },
    { name: 'production', role: 'app', env: 'production', ip: '192.168.56.12' },
  ],
});

describe('target', () => {
  test('an environment is its app node on port 80', () => {
    expect(resolveTarget('staging', config)).toEqual({
      name: 'staging',
      protocol: 'http',
      host: '192.168.56.11',
      port: 80,
    });
    expect(targetUrl(resolveTarget('production', config))).toBe('http://192.168.56.12:80');
  });

  test('a URL: scheme, host and port (default ports by scheme, IPv6 too)', () => {
    expect(resolveTarget('http://127.0.0.1:8081', config)).toMatchObject({
      protocol: 'http',
      host: '127.0.0.1',
      port: 8081,
    });
    expect(resolveTarget('https://shop.lab.test/', config)).toMatchObject({
      protocol: 'https',
      host: 'shop.lab.test',
      port: 443,
    });
    expect(resolveTarget('http://[::1]:9000', config)).toMatchObject({ host: '::1', port: 9000 });
    expect(targetUrl(resolveTarget('http://[::1]:9000', config))).toBe('http://[::1]:9000');
  });

  test('the config is read only for an environment', () => {
    const broken = () => {
      throw new Error('config must not be read for a URL');
    };
    expect(resolveTarget('http://127.0.0.1:1', broken).port).toBe(1);
  });

  test('bad targets: each a clear invalid-input error', () => {
    const cases: [string, string][] = [
      ['stagin', 'neither an environment nor a URL'],
      ['ftp://host', 'only http and https'],
      ['http://host:8080/api', 'give only scheme, host and port'],
      ['http://host:8080/?x=1', 'give only scheme, host and port'],
    ];
    for (const [spec, message] of cases) {
      const e = labErrorOf(() => resolveTarget(spec, config));
      expect(e.code).toBe(ExitCode.INVALID_INPUT);
      expect(e.message).toContain(message);
    }
    const e = labErrorOf(() => resolveTarget('staging', () => ({ nodes: [] })));
    expect(e.message).toBe('the lab config has no app node with env: staging');
  });

  test('reachability: a listening port passes, a closed one is a missing prerequisite', async () => {
    const server = net.createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    await expect(
      checkReachable({ name: 't', protocol: 'http', host: '127.0.0.1', port }),
    ).resolves.toBeUndefined();
    await new Promise((r) => server.close(r));
    const closed = await freePort();
    const error = await checkReachable({
      name: 'staging',
      protocol: 'http',
      host: '127.0.0.1',
      port: closed,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LabError);
    expect((error as LabError).code).toBe(ExitCode.PREREQUISITE);
    expect((error as LabError).message).toBe(
      `cannot reach staging (http://127.0.0.1:${closed}): ECONNREFUSED`,
    );
  });
});

describe('what JMeter left behind', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'lab-jtl-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const f = path.join(dir, name);
    writeFileSync(f, text);
    return f;
  };
  const HEADER = 'timeStamp,elapsed,label,responseCode,responseMessage,success\n';

  test('missing, empty and header-only files have no samples', async () => {
    expect(await inspectJtl(path.join(dir, 'nope.jtl'))).toEqual({
      exists: false,
      bytes: 0,
      header: null,
      samples: 0,
    });
    expect((await inspectJtl(file('empty.jtl', ''))).samples).toBe(0);
    const headerOnly = await inspectJtl(file('header.jtl', HEADER));
    expect(headerOnly.header).toEqual([
      'timeStamp',
      'elapsed',
      'label',
      'responseCode',
      'responseMessage',
      'success',
    ]);
    expect(headerOnly.samples).toBe(0);
  });

  test('samples are counted as records: a quoted field may hold commas and newlines', async () => {
    const text = `${HEADER}1,5,a,200,OK,true\n2,6,"b, with comma",500,"Server\nError",false\n3,7,a,200,OK,true`;
    expect((await inspectJtl(file('three.jtl', text))).samples).toBe(3);
    expect((await inspectJtl(file('crlf.jtl', text.replace(/\n/g, '\r\n') + '\r\n'))).samples).toBe(
      3,
    );
  });

  test('a file without a header is reported as such', async () => {
    const r = await inspectJtl(file('nohead.jtl', '1,5,a,200,OK,true\n2,5,a,200,OK,true\n'));
    expect(r.header).toBeNull();
    expect(r.samples).toBe(2);
  });

  test('log tail: errors first, else the last lines', () => {
    const log = file(
      'jmeter.log',
      'INFO a\nERROR - jmeter.JMeter: Error in NonGUIDriver java.lang.IllegalArgumentException\nINFO b\n',
    );
    expect(logTail(log)).toEqual([
      'ERROR - jmeter.JMeter: Error in NonGUIDriver java.lang.IllegalArgumentException',
    ]);
    expect(logTail(file('quiet.log', 'INFO a\nINFO b\n'))).toEqual(['INFO a', 'INFO b']);
    expect(logTail(path.join(dir, 'missing.log'))[0]).toContain('JMeter did not start');
  });
});
