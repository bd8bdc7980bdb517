#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so there is no build step to forget.
import { register } from 'tsx/esm/api';

// Hallway's own tsconfig (its JSX is hono/jsx), wherever the command is started from: tsx would
// otherwise look for one in the working directory and compile the views as React.
register({ tsconfig: new URL('../tsconfig.json', import.meta.url).pathname });
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
