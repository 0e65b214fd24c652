import { loadConfig } from '@vigil/config';
import { runMain, startRuntime } from '@vigil/runtime';
import { assembleVerification } from './assemble.ts';
import { serviceSpec } from './config.ts';

runMain(async () => {
  const config = loadConfig(serviceSpec);
  const runtime = await startRuntime({ service: 'verification', useMongo: false });
  const service = await assembleVerification({ ...runtime, config });
  await runtime.serve(service.app, config.VERIFICATION_PORT);
  // Consumers join after the service listens (see startServiceConsumer).
  const running = await service.start();
  runtime.onShutdown(() => running.stop());
});
