import { loadConfig } from '@vigil/config';
import { runMain, startRuntime } from '@vigil/runtime';
import { buildApp } from './app.ts';
import { serviceSpec } from './config.ts';

runMain(async () => {
  const config = loadConfig(serviceSpec);
  const runtime = await startRuntime({ service: 'enrollment', useMongo: true });
  await runtime.serve(buildApp(runtime), config.ENROLLMENT_PORT);
});
