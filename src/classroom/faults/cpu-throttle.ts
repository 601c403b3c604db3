import { z } from 'zod';
import { devtools } from './devtools.ts';
import { defineFaultKind, faultTiming, sideOf } from './fault-kind.ts';

/** CPU slowdown factor (CDP). On this Chromium it barely changes WebRTC frame rates; kept for completeness. */
export const cpuThrottle = defineFaultKind({
  kind: 'cpu-throttle',
  lever: 'window',
  summary: "the target's CPU is slowed down (barely changes WebRTC frame rates in Chromium)",
  schema: z.strictObject({
    kind: z.literal('cpu-throttle'),
    ...faultTiming,
    /** How many times slower, 1 or more. */
    rate: z.number().min(1),
  }),
  groundTruth: (fault) => ({
    participant: fault.target,
    ...sideOf(fault.target),
    media: ['video', 'audio'],
    mechanisms: ['cpu'],
    mechanism: `the ${fault.target === 'teacher' ? "teacher's" : "student's"} device is ${fault.rate}× slower (CPU)`,
  }),
  apply: (fault, context) => devtools(context, 'Emulation.setCPUThrottlingRate', { rate: fault.rate }, { rate: 1 }),
});
