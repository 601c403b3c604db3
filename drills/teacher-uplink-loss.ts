import { defineDrill } from 'supportdrill';

// The teacher's uplink: a normal 4G connection for 10 s, then 20 % of its packets lost for 10 s
// Video retransmits what it loses (the students see it stall waiting for repairs and keyframes);
// audio does not, so the sound's packet loss is what shows the loss itself.
// The description is what the school saw; what was injected is for the vendor to find.
export default defineDrill({
  name: 'teacher-uplink-loss',
  description: "Mid-lesson every student's video of the teacher broke up for about 10 s: the picture stuttered and stalled and the sound crackled, then it came back by itself",
  classroom: { provider: 'local', students: 2, duration: '40s' },
  faults: [{ kind: 'network', target: 'teacher', at: '10s', for: '20s', profiles: [{ at: '0s', profile: '4g' }, { at: '10s', profile: 'lossy-20' }] }],
  expect: {
    checks: [
      { name: 'students lost sound packets', metric: 'packet-loss', media: 'audio', on: 'students', from: 'fault 0 on + 11s', to: 'fault 0 off', min: 5 },
      { name: 'the picture stuttered', metric: 'fps', of: 'min', on: 'students', from: 'fault 0 on + 10s', to: 'fault 0 off + 2s', max: 12 },
      { name: 'on 4G the picture kept moving', metric: 'fps', on: 'students', from: 'fault 0 on + 1s', to: 'fault 0 on + 10s', min: 12, level: 'warning' },
      { name: 'a freeze under the loss', metric: 'freeze', on: 'students', from: 'fault 0 on + 10s', to: 'fault 0 off + 3s', min: '500ms', level: 'warning' },
    ],
  },
});
