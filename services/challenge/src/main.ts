import { loadConfig } from '@vigil/config';
import { runMain, startRuntime } from '@vigil/runtime';
import { assembleChallenge } from './assemble.ts';
import { serviceSpec } from './config.ts';

runMain(async () => {
  const config = loadConfig(serviceSpec);
  const runtime = await startRuntime({ service: 'challenge', useMongo: false });
  const service = await assembleChallenge({ ...runtime, config });
  await runtime.serve(service.app, config.CHALLENGE_PORT);
  // Consumers join after the service listens (see startServiceConsumer).
  const running = await service.start();
  runtime.onShutdown(() => running.stop());
});
