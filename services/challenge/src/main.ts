import { loadConfig } from '@vigil/config';
import { runMain, startRuntime } from '@vigil/runtime';
import { buildApp } from './app.ts';
import { serviceSpec } from './config.ts';

runMain(async () => {
  const config = loadConfig(serviceSpec);
  const runtime = await startRuntime({ service: 'challenge', useMongo: false });
  await runtime.serve(buildApp(runtime), config.CHALLENGE_PORT);
});
