import { defineDrill } from 'supportdrill';

export default defineDrill({
  name: 'freeze-midclass',
  description: "The teacher's video freezes for 10 s in the middle of a lesson",
  classroom: {
    provider: 'local',
    students: 2,
    duration: '30s',
    video: { width: 640, height: 360, fps: 20 },
    freezeThreshold: '500ms',
  },
  faults: [{ kind: 'video-freeze', target: 'teacher', at: '10s', for: '10s' }],
  expect: { freeze: { on: 'students', minDuration: '3s' } },
});
