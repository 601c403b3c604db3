import { defineDrill } from 'supportdrill';

// The teacher's camera sends black frames for 8 s; the call, the sound and the connection stay up.
export default defineDrill({
  name: 'black-screen',
  description: "The teacher's picture went black for every student for about 8 s mid-lesson, while the call stayed connected and the sound carried on",
  classroom: { provider: 'local', students: 2, duration: '25s' },
  faults: [{ kind: 'black-screen', target: 'teacher', at: '10s', for: '8s' }],
  expect: { video: { on: 'students', state: 'blank', minDuration: '5s' } },
});
