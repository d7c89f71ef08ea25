import { AssignerProtocol, type Admin, type GroupDescription } from 'kafkajs';
import { abortable } from '../shared/time.ts';
import { watermarks } from './metadata.ts';

/** One partition a group consumes, at one moment. */
export interface PartitionLag {
  topic: string;
  partition: number;
  /** Committed offset; -1 when the group has none for this partition. */
  committed: number;
  high: number;
  low: number;
  /** `high − committed` clamped at 0; unknown (−1) without a committed offset. */
  lag: number;
}

/** `topic-partition`. */
export function partitionKey(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

/**
 * Committed offsets of `groupId` (admin OffsetFetch: the group is never
 * joined) and the watermarks of its topics: the declared ones, or every topic
 * it has committed offsets for. Offsets are read before watermarks, so lag is
 * rarely negative; it is clamped at 0 as KMinion does.
 */
export async function readLag(admin: Admin, groupId: string, topics: readonly string[] | undefined, signal: AbortSignal): Promise<PartitionLag[]> {
  const committed = await abortable(admin.fetchOffsets({ groupId, ...(topics ? { topics: [...topics] } : {}) }), signal);
  const out: PartitionLag[] = [];
  for (const entry of committed) {
    const marks = await watermarks(admin, entry.topic, signal);
    for (const mark of marks) {
      const offset = Number(entry.partitions.find((partition) => partition.partition === mark.partition)?.offset ?? -1);
      out.push({ topic: entry.topic, partition: mark.partition, committed: offset, high: mark.high, low: mark.low, lag: offset < 0 ? -1 : Math.max(0, mark.high - offset) });
    }
  }
  return out;
}

/** A group member and the partitions it is assigned. */
export interface MemberAssignment {
  memberId: string;
  clientId: string;
  host: string;
  /** Topics it is assigned partitions of. */
  topics: string[];
  /** `topic-partition` keys. */
  partitions: string[];
}

/** Decode the member assignments of a consumer-protocol group (other protocols have none the probe can read). */
export function assignments(group: GroupDescription): MemberAssignment[] {
  return group.members.map((member) => {
    const decoded = group.protocolType === 'consumer' && member.memberAssignment.length > 0 ? AssignerProtocol.MemberAssignment.decode(member.memberAssignment) : null;
    const assignment = decoded?.assignment ?? {};
    const partitions = Object.entries(assignment).flatMap(([topic, ids]) => ids.map((id) => partitionKey(topic, id)));
    return { memberId: member.memberId, clientId: member.clientId, host: member.clientHost, topics: Object.keys(assignment), partitions };
  });
}

/** Describe one group (state `Dead` with no members when it does not exist). */
export async function describeGroup(admin: Admin, groupId: string, signal: AbortSignal): Promise<GroupDescription> {
  const { groups } = await abortable(admin.describeGroups([groupId]), signal);
  return groups[0] ?? { groupId, members: [], protocol: '', protocolType: '', state: 'Dead' };
}
