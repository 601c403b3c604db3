import { defineDrill } from 'supportdrill';

// One student's downlink falls to an EDGE-like connection for 15 s; the other student's is fine.
export default defineDrill({
  name: 'student-downlink-edge',
  description: "For about 15 s one student's video of the teacher lagged more than a second behind and stuttered, while the other student's was normal",
  classroom: { provider: 'local', students: 2, duration: '35s' },
  faults: [{ kind: 'network', target: 'student-1', at: '10s', for: '15s', profile: 'edge' }],
  expect: {
    checks: [
      { name: "student-1's picture lagged", metric: 'delay', on: 'student-1', from: 'fault 0 on + 3s', to: 'fault 0 off', min: '500ms' },
      { name: "student-1's picture stuttered", metric: 'fps', on: 'student-1', from: 'fault 0 on + 3s', to: 'fault 0 off', max: 14 },
      { name: "student-2's picture stayed in time", metric: 'delay', on: 'student-2', from: 'fault 0 on', to: 'fault 0 off', max: '400ms', level: 'warning' },
    ],
  },
});
