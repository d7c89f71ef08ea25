/** The checklist items each check answers (catalog ids of @probe/core). */
export const CHECKLIST = {
  throughput: [
    'integration.performance.load.test-throughput',
  ],
  latency: [
    'integration.performance.integration-performance.test-latency',
    'integration.performance.integration-performance.verify-response-times',
    'integration.performance.system-performance.verify-slas',
    'integration.service.service-communication.monitor-latency',
  ],
  capacity: [
    'integration.performance.load.test-limits',
    'integration.performance.load.verify-scalability',
    'integration.performance.load.check-bottlenecks',
  ],
  degradation: [
    'integration.performance.system-performance.test-degradation',
  ],
  resources: [
    'integration.performance.load.monitor-resources',
    'integration.performance.load.check-bottlenecks',
    'integration.performance.system-performance.check-efficiency',
  ],
  trend: [
    'integration.performance.system-performance.monitor-trends',
    'integration.performance.integration-performance.monitor-metrics',
  ],
  /** Added to throughput and latency for HTTP targets. */
  http: [
    'integration.api.endpoint.monitor-performance',
  ],
} as const;
