#!/usr/bin/env node
// `npm run static`: the type checker, the linter and the formatter check, run at the same time
// (each is mostly one thread; one after another they leave a core idle for minutes). Each one's
// output is printed whole when it ends, so lines never interleave; exits non-zero when any fails.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CHECKS = ['typecheck', 'lint', 'format:check'];
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Runs `npm run <script>`; resolves with its exit code (1 when it could not start). */
function runScript(script) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(npm, ['run', script], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    let finished = false;
    const finish = (code, failure) => {
      if (finished) return;
      finished = true;
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const text = Buffer.concat(output).toString('utf8');
      const verdict = code === 0 ? 'passed' : `FAILED (exit ${String(code)})`;
      process.stdout.write(`> npm run ${script}: ${verdict} in ${seconds} s\n${text}`);
      if (failure !== undefined) process.stdout.write(`${failure}\n`);
      resolve(code);
    };
    child.on('error', (error) => finish(1, String(error)));
    child.on('close', (code) => finish(code ?? 1, undefined));
  });
}

const codes = await Promise.all(CHECKS.map(runScript));
process.exitCode = codes.every((code) => code === 0) ? 0 : 1;
