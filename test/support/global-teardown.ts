import { takeTestRedisHandles } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const handles = takeTestRedisHandles();
  if (!handles) return;
  await Promise.all([handles.cluster.stop(), handles.standalone.stop(), handles.postgres.stop()]);
}
