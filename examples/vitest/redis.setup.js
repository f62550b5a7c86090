import { startServer } from 'redlua';

export default async function setup(project) {
  const srv = await startServer();
  project.provide('redisUrl', srv.url);
  return () => srv.close();
}
