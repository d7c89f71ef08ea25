export { step } from '../upstream/steps.ts';
export { startFakeDependency, type FakeDependency } from './fake-dependency.ts';
export { proxiedSocketFactory, type SocketFactoryArguments } from './socket-factory.ts';
export { startFaultProxy, type FaultProxy, type FaultProxyOptions } from '../proxy/fault-proxy.ts';
export { toxic } from '../proxy/toxics.ts';
export { withFault } from '../proxy/faults.ts';
