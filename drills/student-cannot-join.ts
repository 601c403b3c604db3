import { defineDrill } from 'supportdrill';

// student-2's media never gets through (its signalling does): it reaches the room and sees nothing.
export default defineDrill({
  name: 'student-cannot-join',
  description: 'One student could not join the lesson: the classroom opened, but the teacher never appeared and no sound came, while the other student joined normally',
  classroom: { provider: 'local', students: 2, duration: '15s', joinTimeout: '15s' },
  faults: [{ kind: 'join-block', target: 'student-2', block: 'media' }],
  expect: { join: { fails: 'student-2' } },
});
