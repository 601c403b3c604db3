import { defineDrill } from 'supportdrill';

// The teacher's camera repeats one frame for 8 s: frames keep arriving, so nothing "freezes".
export default defineDrill({
  name: 'picture-stands-still',
  description: "The teacher's picture stood still for every student for about 8 s: the video kept playing but showed the same frame, and the sound carried on",
  classroom: { provider: 'local', students: 2, duration: '25s' },
  faults: [{ kind: 'still-picture', target: 'teacher', at: '10s', for: '8s' }],
  expect: { video: { on: 'students', state: 'still', minDuration: '5s' } },
});
