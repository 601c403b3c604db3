/**
 * How a class's participants are spread over browser windows. Every student keeps its own peer
 * connection, decoder, `<video>` and freeze monitor wherever it is hosted; what a window shares is
 * its renderer, its DevTools levers (network conditions, CPU throttling) and what is done to it
 * before it loads the class (a join block), so a student such a lever targets alone gets a window
 * of its own, and grouping stops where it would change what is measured. Fewer windows is what
 * lets a 1-to-16 class run on a 2-core probe (docs/BENCHMARKS.md).
 */

/**
 * Students per window when the drill does not say, chosen from `npm run bench:detect`: fewer
 * windows cost less (16 students through the SFU on 2 cores: 143 % CPU in one window, 191 % in four
 * of four, detection overhead p95 38 ms against 168 ms), and grouped students gave the same onset,
 * detection and recovery as one window each (docs/BENCHMARKS.md).
 */
export const DEFAULT_STUDENTS_PER_WINDOW = 16;

export interface HostingPlan {
  /** The windows to open, teacher's first; each lists the participants it hosts. */
  windows: string[][];
  /** One line for the evidence and the terminal. */
  summary: string;
}

export interface HostingInput {
  students: readonly string[];
  /** The provider's page can host several students (a vendor SDK's page hosts one). */
  hostsSeveral: boolean;
  studentsPerWindow: number;
  /** Students that must have a window of their own (a window-wide lever targets them alone). */
  ownWindow: ReadonlySet<string>;
}

export function planHosting(input: HostingInput): HostingPlan {
  const perWindow = input.hostsSeveral ? Math.max(1, Math.floor(input.studentsPerWindow)) : 1;
  const windows: string[][] = [['teacher']];
  let group: string[] = [];
  for (const student of input.students) {
    if (input.ownWindow.has(student) || perWindow === 1) {
      windows.push([student]);
      continue;
    }
    group.push(student);
    if (group.length === perWindow) {
      windows.push(group);
      group = [];
    }
  }
  if (group.length) windows.push(group);
  return { windows, summary: describe(windows, input) };
}

function describe(windows: string[][], input: HostingInput): string {
  const studentWindows = windows.slice(1);
  if (studentWindows.length === input.students.length) {
    const why = !input.hostsSeveral ? " (the provider's page hosts one participant)" : input.ownWindow.size === input.students.length && input.students.length > 1 ? ' (a fault on the whole window targets every student)' : '';
    return `one window per participant (${windows.length} windows)${why}`;
  }
  const largest = Math.max(...studentWindows.map((w) => w.length));
  const alone = input.ownWindow.size ? `; ${[...input.ownWindow].join(', ')} alone (${input.ownWindow.size === 1 ? 'a fault on its whole window targets it' : 'a fault on the whole window targets each'})` : '';
  const count = `${studentWindows.length} window${studentWindows.length === 1 ? '' : 's'}`;
  return `${input.students.length} students in ${count} of up to ${largest}${alone}; the teacher in a window of its own`;
}

/** The name a window goes by in the evidence (`console-<name>.log`): its participant, or `student-1+student-2+…`. */
export function windowName(participants: readonly string[]): string {
  return participants.join('+');
}
