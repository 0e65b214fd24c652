import { loadConfig } from '@vigil/config';
import { runMain, startRuntime } from '@vigil/runtime';
import { assembleAnomalyDetection } from './assemble.ts';
import { serviceSpec } from './config.ts';

runMain(async () => {
  const config = loadConfig(serviceSpec);
  const runtime = await startRuntime({ service: 'anomaly-detection', useMongo: true });
  if (runtime.mongo === null) throw new Error('anomaly-detection needs MongoDB');
  const service = await assembleAnomalyDetection({ ...runtime, config, mongo: runtime.mongo });
  await runtime.serve(service.app, config.ANOMALY_PORT);
  // Consumers join after the service listens (see startServiceConsumer).
  const running = await service.start();
  runtime.onShutdown(() => running.stop());
});
