#!/usr/bin/env node
// The `tln` bin of @tln/server (`pnpm exec tln …`). TLN runs its TypeScript sources under tsx
// (no build step), so this registers tsx's loader and hands over to src/cli.ts.
import { register } from 'tsx/esm/api'

register()
await import('../src/cli.ts')
