import { defineDrill } from 'supportdrill';

// The teacher's sound stops reaching the students for 6 s; the picture carries on.
export default defineDrill({
  name: 'sound-drops-out',
  description: "The teacher's sound cut out for every student for about 6 s mid-lesson while the picture carried on",
  classroom: { provider: 'local', students: 2, duration: '25s' },
  faults: [{ kind: 'audio-dropout', target: 'teacher', at: '10s', for: '6s' }],
  expect: { audio: { on: 'students', dropout: { minDuration: '4s' } } },
});
