import { loadConfig } from '@vigil/config';
import { runMain, startRuntime } from '@vigil/runtime';
import { assembleNotification, fcmFromEnvironment } from './assemble.ts';
import { serviceSpec } from './config.ts';

runMain(async () => {
  const config = loadConfig(serviceSpec);
  const runtime = await startRuntime({ service: 'notification', useMongo: false });
  const service = assembleNotification({ ...runtime, config, fcm: fcmFromEnvironment(config) });
  await runtime.serve(service.app, config.NOTIFICATION_PORT);
  // Consumers join after the service listens (see startServiceConsumer).
  const running = await service.start();
  runtime.onShutdown(() => running.stop());
});
