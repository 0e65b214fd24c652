import { loadConfig } from '@vigil/config';
import { runMain, startRuntime } from '@vigil/runtime';
import { assembleEnrollment } from './assemble.ts';
import { serviceSpec } from './config.ts';

runMain(async () => {
  const config = loadConfig(serviceSpec);
  const runtime = await startRuntime({ service: 'enrollment', useMongo: true });
  if (runtime.mongo === null) throw new Error('enrollment needs MongoDB');
  const service = await assembleEnrollment({ ...runtime, config, mongo: runtime.mongo });
  await runtime.serve(service.app, config.ENROLLMENT_PORT);
  // Consumers join after the service listens (see startServiceConsumer).
  const consumer = await service.startConsumers();
  runtime.onShutdown(() => consumer.stop());
});
