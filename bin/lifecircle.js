#!/usr/bin/env node
// the CLI is TypeScript run through tsx, so the engine ships as source that the browser bundle shares
import { register } from 'tsx/esm/api';

register();
await import('../server/cli/main.ts');
