import type { Fault } from '../drill/schema.ts';
import type { PageFault } from './page/protocol.ts';
import { ARMED_NETWORK, type ClassroomSession } from './session.ts';

/** The participants a target names. */
export function resolveTarget(target: string, students: string[]): string[] {
  if (target === 'students') return students;
  return [target];
}

/**
 * Whose picture a fault can freeze: a fault on the teacher's sending reaches every student; a
 * fault that touches only audio freezes no picture, so no video freeze is ever put down to it.
 */
export function affectedStudents(fault: Fault, students: string[]): string[] {
  const audioOnly = fault.kind === 'audio-dropout' || (fault.kind === 'packet-loss' && fault.media === 'audio');
  if (audioOnly) return [];
  return fault.target === 'teacher' || fault.target === 'students' ? students : [fault.target];
}

function pageFaults(fault: Fault, id: string): PageFault[] {
  switch (fault.kind) {
    case 'video-freeze':
      return [{ id, media: 'video', dropRate: 1 }];
    case 'audio-dropout':
      return [{ id, media: 'audio', dropRate: 1 }];
    case 'packet-loss': {
      const media = fault.media === 'both' ? (['video', 'audio'] as const) : [fault.media];
      return media.map((m) => ({ id: `${id}:${m}`, media: m, dropRate: fault.rate }));
    }
    default:
      return [];
  }
}

/**
 * Applies one fault to the pages it targets and returns how to clear it. Clearing is idempotent,
 * so the rollback at the end of a run can call it again for every fault whatever happened.
 */
export async function applyFault(session: ClassroomSession, fault: Fault, id: string, students: string[]): Promise<() => Promise<void>> {
  const targets = resolveTarget(fault.target, students);
  switch (fault.kind) {
    case 'video-freeze':
    case 'audio-dropout':
    case 'packet-loss': {
      const perPage = pageFaults(fault, id);
      await Promise.all(targets.flatMap((p) => perPage.map((pf) => session.setPageFault(p, pf))));
      return async () => {
        await Promise.all(targets.flatMap((p) => perPage.map((pf) => session.clearPageFault(p, pf.id).catch(() => undefined))));
      };
    }
    case 'network': {
      const conditions = {
        offline: fault.offline ?? false,
        latency: fault.latency ?? ARMED_NETWORK.latency,
        downloadThroughput: fault.downloadKbps ? (fault.downloadKbps * 1000) / 8 : -1,
        uploadThroughput: fault.uploadKbps ? (fault.uploadKbps * 1000) / 8 : -1,
        ...(fault.packetLoss !== undefined ? { packetLoss: fault.packetLoss } : {}),
      };
      await Promise.all(targets.map((p) => session.cdp.get(p)?.send('Network.emulateNetworkConditions', conditions)));
      return async () => {
        await Promise.all(targets.map((p) => session.cdp.get(p)?.send('Network.emulateNetworkConditions', { ...ARMED_NETWORK, packetLoss: 0 }).catch(() => undefined)));
      };
    }
    case 'cpu-throttle': {
      await Promise.all(targets.map((p) => session.cdp.get(p)?.send('Emulation.setCPUThrottlingRate', { rate: fault.rate })));
      return async () => {
        await Promise.all(targets.map((p) => session.cdp.get(p)?.send('Emulation.setCPUThrottlingRate', { rate: 1 }).catch(() => undefined)));
      };
    }
  }
}
