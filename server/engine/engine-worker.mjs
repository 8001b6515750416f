// A worker thread of the engine pool. Plain JavaScript that loads the TypeScript task through tsx, so the
// pool runs the same sources under `npm start`, vitest and the compiled CLI alike.
import { tsImport } from 'tsx/esm/api';

const task = await tsImport('./engine-task.ts', import.meta.url);
export default task.default;
