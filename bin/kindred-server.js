#!/usr/bin/env node
// The relay's command: `kindred-server --data DIR [--port N] ...` (see docs/running-a-relay.md).
// The relay is written in TypeScript and run through tsx; there is no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../server/cli.ts');
const code = await main(process.argv);
if (code !== undefined) process.exitCode = code;
