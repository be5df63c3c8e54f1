// The deployment files repeat a few facts of the code (the search attributes); these tests keep them in step.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { loadRuntimeConfig } from '../../config';
import { devServerSearchAttributeFlags } from '../../workers/setup';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';

const ROOT = path.resolve(__dirname, '../..');
const expected = ALL_SEARCH_ATTRIBUTES.map(
  (key) => `${key.name}:${key.type === 'DATETIME' ? 'Datetime' : key.type[0] + key.type.slice(1).toLowerCase()}`,
).sort();

describe('deployment files', () => {
  it('docker setup registers exactly the search attributes of workflows/search-attributes.ts', () => {
    const script = readFileSync(path.join(ROOT, 'docker/temporal/setup-namespace.sh'), 'utf8');
    const listed = /SEARCH_ATTRIBUTES="\n([\s\S]*?)\n"/
      .exec(script)![1]
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .sort();
    expect(listed).toEqual(expected);
  });

  it('the dev server is started with the same search attributes', () => {
    const flags = devServerSearchAttributeFlags()
      .filter((_, i) => i % 2 === 1)
      .map((f) => f.replace('=', ':'))
      .sort();
    expect(flags).toEqual(expected);
  });

  it('docker-compose.yml parses and pins every image version', () => {
    const compose = YAML.parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as {
      services: Record<string, { image?: string; build?: unknown }>;
    };
    const services = Object.entries(compose.services);
    expect(services.map(([name]) => name)).toEqual(expect.arrayContaining(['postgres', 'temporal', 'temporal-ui', 'mailpit', 'worker']));
    for (const [name, service] of services) {
      if (service.build) continue;
      expect(service.image, name).toMatch(/:[0-9v][\w.-]*$/);
      expect(service.image, name).not.toMatch(/:latest$/);
    }
  });

  it("docker-compose.yml gives the worker settings its configuration accepts (with compose's defaults filled in)", () => {
    const compose = YAML.parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as {
      services: { worker: { environment: Record<string, string> } };
    };
    // `${NAME:-default}` as compose fills it in when NAME is not set.
    const env = Object.fromEntries(
      Object.entries(compose.services.worker.environment).map(([k, v]) => [k, String(v).replace(/\$\{\w+:-([^}]*)\}/g, '$1')]),
    );
    const config = loadRuntimeConfig(env);
    expect(config.databaseUrl).toBe('postgres://jianguan:jianguan@postgres:5432/jianguan');
    expect(config.mail.smtp).toMatchObject({ host: 'mailpit', port: 1025 });
    expect(config.worker).toEqual({});
  });

  it("docker-compose.yml runs the codec server from the worker image, with the workers' keys, for the Web UI it serves", () => {
    type Service = { image?: string; command?: string[]; environment: Record<string, string>; volumes?: string[]; ports?: string[] };
    const compose = YAML.parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
      services: Record<'worker' | 'codec-server' | 'temporal-ui' | 'cli', Service>;
    };
    const { worker, 'codec-server': codec, 'temporal-ui': ui, cli } = compose.services;
    const filled = (env: Record<string, string>) =>
      Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v).replace(/\$\{\w+:-([^}]*)\}/g, '$1')]));
    expect(codec.image).toBe(worker.image);
    expect(codec.command).toEqual(['codec-server']);
    // One key for all: the same setting, and the same volume for the key generated when it is not set.
    for (const service of [worker, codec, cli]) {
      expect(service.environment.JIANGUAN_CODEC_KEYS).toBe('${JIANGUAN_CODEC_KEYS:-}');
      expect(service.volumes).toContain('codec-secrets:/app/var');
    }
    const config = loadRuntimeConfig(filled(codec.environment));
    expect(config.codec.address).toBe('0.0.0.0:8234');
    const uiPort = /:(\d+):8080"?$/.exec(ui.ports![0])![1];
    expect(config.codec.origins).toContain(`http://localhost:${uiPort}`);
    const codecPort = /:(\d+):8234$/.exec(filled({ p: codec.ports![0] }).p)![1];
    expect(filled(ui.environment).TEMPORAL_CODEC_ENDPOINT).toBe(`http://localhost:${codecPort}`);
    expect(ui.environment.TEMPORAL_CODEC_INCLUDE_CREDENTIALS).toBe('true');
  });
});
