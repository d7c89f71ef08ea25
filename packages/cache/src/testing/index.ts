export { startRedis, type StartRedisOptions, type StartedRedis } from './start-redis.ts';
export { createRedisNamespace, type RedisNamespace, type RedisNamespaceOptions } from './namespace.ts';
export { startRedisServer, freePort, type RedisConfigValue, type RedisServer, type RedisServerOptions } from './redis-server.ts';
export { startRedisCluster, startRedisReplica, type RedisCluster, type RedisClusterOptions, type RedisReplicaOptions } from './redis-topology.ts';
