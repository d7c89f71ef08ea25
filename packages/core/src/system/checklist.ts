import { ITEMS } from '../checklist/catalog.generated.ts';

const { service, data, system } = ITEMS.integration;

/** The checklist items each system check answers (catalog ids; a typo fails to compile). */
export const SYSTEM_CHECKLIST = {
  versions: [
    service.serviceDependencies.verifyVersions,
    service.serviceDependencies.checkCompatibility,
    system.integrationPoints.checkCompatibility,
  ],
  availability: [
    service.serviceDependencies.testDependencies,
    service.serviceDependencies.monitorAvailability,
    system.integrationPoints.monitorHealth,
  ],
  isolation: [
    service.serviceDependencies.testIsolation,
    system.componentIntegration.testIsolation,
    system.componentIntegration.checkBoundaries,
  ],
  pipeline: [
    data.dataFlow.testPipelines,
    data.dataFlow.verifyTransformations,
    data.dataFlow.monitorQuality,
  ],
  drift: [
    data.dataSynchronization.verifyConsistency,
    data.dataSynchronization.monitorDrift,
    data.dataSynchronization.checkConflicts,
  ],
} as const satisfies Record<string, readonly string[]>;
