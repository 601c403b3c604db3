import { defineDrill } from 'supportdrill';

// The control: the same class with nothing injected. Any freeze seen here is a false freeze,
// and is what the detector's false-freeze rate is measured against.
export default defineDrill({
  name: 'clean-class',
  description: 'A lesson with no fault injected (the control for false freezes)',
  classroom: { provider: 'local', students: 2, duration: '20s' },
  expect: { freeze: 'none' },
});
