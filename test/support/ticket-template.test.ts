import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunResult, StateResult } from '../../src/core/run-result.ts';
import { DEFAULT_DISCLOSURE } from '../../src/config/config.ts';
import { renderTicket, type RenderTicketInput } from '../../src/support/ticket-template.ts';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/run-result.json', import.meta.url), 'utf8')) as RunResult;
const drill = { name: 'freeze-midclass', description: "The teacher's video freezes for 10 s in the middle of a lesson" };

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** An evidence directory holding exactly these files (name → content). */
function evidence(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'supportdrill-evidence-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

function render(overrides: Partial<RenderTicketInput> = {}) {
  return renderTicket({ result: fixture, drill, vendorTimezone: 'Asia/Shanghai', evidenceDir: evidence(), ...overrides });
}

describe('default ticket', () => {
  it('the title carries the reference tag and says what the students saw', () => {
    const draft = render();
    expect(draft.ref).toBe('DRILL-429c7b');
    expect(draft.title).toBe("[DRILL-429c7b] The teacher's video froze for up to 12.2 s for both students during a live class");
  });

  it("gives the incident time in the vendor's timezone and in UTC", () => {
    const { body } = render();
    expect(body).toContain('- Trouble began: 2026-11-29 13:13:00 (Asia/Shanghai, UTC+08:00), that is 2026-11-29 05:13:00 UTC');
    expect(body).toContain('- Class in session: 2026-11-29 13:12:50 – 13:13:20 (Asia/Shanghai, UTC+08:00), that is 2026-11-29 05:12:50 – 05:13:20 UTC');
  });

  it("writes times in whichever timezone the vendor works in", () => {
    const { body } = render({ vendorTimezone: 'America/New_York' });
    expect(body).toContain('- Trouble began: 2026-11-29 00:13:00 (America/New_York, UTC-05:00), that is 2026-11-29 05:13:00 UTC');
  });

  it('lists each freeze episode with participant, start in both zones, duration and detection delay', () => {
    const { body } = render();
    expect(body).toContain(
      [
        '| participant | start (Asia/Shanghai)   | start (UTC)              | duration | detected |',
        '|-------------|-------------------------|--------------------------|----------|----------|',
        '| student-1   | 2026-11-29 13:13:00.793 | 2026-11-29 05:13:00.793Z | 12.2 s   | +510 ms  |',
        '| student-2   | 2026-11-29 13:13:00.826 | 2026-11-29 05:13:00.826Z | 12.2 s   | +505 ms  |',
      ].join('\n'),
    );
  });

  it('opens with the impact: how many students of how many, for how long, what they saw, the severity', () => {
    const { body } = render();
    expect(body.split('\n')[0]).toBe("Impact: 2 of 2 students saw the teacher's picture frozen, for up to 12.2 s (24.4 s in all). Severity we give it: high.");
    expect(render({ drill: { ...drill, ticket: { severity: 'urgent' } } }).body.split('\n')[0]).toMatch(/Severity we give it: urgent\.$/);
  });

  it('says in plain words who saw what, and that the picture came back', () => {
    const { body } = render();
    expect(body.split('\n')[2]).toBe(
      "During a live class on local (browser WebRTC) in room run_20261129T051246Z_429c7b, the students' view of the teacher's video " +
        'froze at 2026-11-29 13:13:00 (Asia/Shanghai, UTC+08:00), that is 2026-11-29 05:13:00 UTC. Frozen: student-1 for 12.2 s ' +
        'from 13:13:00; student-2 for 12.2 s from 13:13:00 (Asia/Shanghai time). Each time the picture came back by itself.',
    );
  });

  it('names the participants and their roles', () => {
    const { body } = render();
    expect(body).toContain(
      "- teacher: publishes camera and microphone\n- student-1: subscribes to the teacher's audio and video\n- student-2: subscribes to the teacher's audio and video",
    );
  });

  it('lists the stack, browser and OS versions', () => {
    const { body } = render();
    expect(body).toContain('- Real-time stack: local (browser WebRTC)\n- Browser: Chrome/156.0.8078.108\n- OS: X11; Linux x86_64 (from the user agent)');
  });

  it('lists the room and the run id', () => {
    const { body } = render();
    expect(body).toContain('- Run: run_20261129T051246Z_429c7b\n- Room: run_20261129T051246Z_429c7b\n- Participants: teacher, student-1, student-2');
  });

  it('gives numbered steps to reproduce with the times they happened', () => {
    const { body } = render();
    expect(body).toContain(
      '3. The class is in session from 13:12:50 (Asia/Shanghai).\n' +
        '4. About 10.0 s later, at 13:13:00, student-1 and student-2 stop receiving new video frames from the teacher; the picture comes back after 12.2 s.',
    );
  });

  it('attaches and lists only the evidence files that exist, leaving out empty logs', () => {
    const dir = evidence({
      'timeline.json': '{}',
      'screenshot-during.png': 'png',
      'screenshot-before.png': 'png',
      'console-student-1.log': 'error: decoder stalled',
      'console-teacher.log': '',
      'chart.svg': '<svg/>',
    });
    const draft = render({ evidenceDir: dir });
    expect(draft.attachments).toEqual([
      { filename: 'timeline.json', path: join(dir, 'timeline.json'), contentType: 'application/json' },
      { filename: 'screenshot-before.png', path: join(dir, 'screenshot-before.png'), contentType: 'image/png' },
      { filename: 'screenshot-during.png', path: join(dir, 'screenshot-during.png'), contentType: 'image/png' },
      { filename: 'console-student-1.log', path: join(dir, 'console-student-1.log'), contentType: 'text/plain' },
    ]);
    const listed = draft.body.split('Attached\n')[1]!.split('\n\n')[0]!;
    expect(listed.split('\n').map((line) => line.split(':')[0])).toEqual([
      '- timeline.json',
      '- screenshot-before.png',
      '- screenshot-during.png',
      '- console-student-1.log',
    ]);
  });

  it('says so when no evidence was kept', () => {
    const draft = render({ evidenceDir: join(evidence(), 'missing') });
    expect(draft.attachments).toEqual([]);
    expect(draft.body).toContain('Attached\n(no evidence files were kept for this run)');
  });

  it('ends with the disclosure line when one is given', () => {
    const { body } = render({ disclosure: DEFAULT_DISCLOSURE });
    expect(body.endsWith(`\n\n${DEFAULT_DISCLOSURE}`)).toBe(true);
  });

  it('has no disclosure line when it is turned off', () => {
    const { body } = render({ disclosure: false });
    expect(body.endsWith('Our reference: DRILL-429c7b')).toBe(true);
  });

  it("is of severity 'high' unless the drill says otherwise", () => {
    expect(render().severity).toBe('high');
  });

  it('dates the incident at the first freeze', () => {
    expect(render().incidentAt).toBe(Date.parse('2026-11-29T05:13:00.793Z'));
  });
});

describe('ticket facts', () => {
  it('lists the room first among the identifiers, and leaves out plain words like "teacher"', () => {
    expect(render().facts.identifiers).toEqual(['run_20261129T051246Z_429c7b', 'student-1', 'student-2']);
  });

  it('holds times and freeze durations exactly as the body writes them', () => {
    const { facts, body } = render();
    expect(facts.times).toContain('2026-11-29 13:13:00 (Asia/Shanghai, UTC+08:00)');
    expect(facts.times).toContain('2026-11-29 05:13:00.826Z');
    expect(facts.numbers).toEqual(['12.2 s', '24.4 s']);
    for (const written of [...facts.times, ...facts.numbers]) expect(body).toContain(written);
  });

  it('says which information the default body gives', () => {
    const dir = evidence({ 'screenshot-during.png': 'png', 'console-student-1.log': 'x' });
    expect(render({ evidenceDir: dir }).facts.providedInfo).toEqual([
      'sdk-version', 'browser', 'os', 'channel', 'uid', 'timestamps', 'logs', 'screenshots', 'steps',
    ]);
  });

  it('counts only what an overridden title and body really give', () => {
    const draft = render({ drill: { ...drill, ticket: { title: 'Freeze', body: 'Frozen at {{incident.local}}.' } } });
    expect(draft.facts.providedInfo).toEqual(['timestamps']);
    expect(draft.facts.numbers).toEqual([]);
  });
});

describe('drill overrides', () => {
  it('renders the drill title and body with placeholders', () => {
    const draft = render({
      drill: {
        ...drill,
        ticket: { title: '[{{ref}}] Freeze in {{room}}', body: '{{drill.description}}. Longest: {{freeze.longest}} of {{freeze.count}}.', severity: 'urgent' },
      },
    });
    expect(draft.title).toBe('[DRILL-429c7b] Freeze in run_20261129T051246Z_429c7b');
    expect(draft.body).toBe("The teacher's video freezes for 10 s in the middle of a lesson. Longest: 12.2 s of 2.");
    expect(draft.severity).toBe('urgent');
  });

  it('puts the reference tag in front of a title that leaves it out', () => {
    const draft = render({ drill: { ...drill, ticket: { title: 'Video froze in class' } } });
    expect(draft.title).toBe('[DRILL-429c7b] Video froze in class');
  });

  it('places the disclosure where the body puts {{disclosure}}, and only there', () => {
    const draft = render({ disclosure: 'Drill.', drill: { ...drill, ticket: { body: '{{disclosure}}\n\n{{headline}}' } } });
    expect(draft.body).toBe("Drill.\n\nThe teacher's video froze for up to 12.2 s for both students during a live class");
  });

  it('adds the disclosure at the end of a body that does not place it', () => {
    const draft = render({ disclosure: 'Drill.', drill: { ...drill, ticket: { body: '{{headline}}' } } });
    expect(draft.body).toBe("The teacher's video froze for up to 12.2 s for both students during a live class\n\nDrill.");
  });

  it('refuses an unknown placeholder, naming it and the closest known one', () => {
    expect(() => render({ drill: { ...drill, ticket: { body: 'At {{incident.locl}}' } } })).toThrow(
      "[supportdrill] [ticket] drill 'freeze-midclass' ticket.body: unknown placeholder {{incident.locl}} (did you mean {{incident.local}}?)",
    );
  });

  it('refuses an unknown placeholder in the title too', () => {
    expect(() => render({ drill: { ...drill, ticket: { title: '{{nope}}' } } })).toThrow("ticket.title: unknown placeholder {{nope}}");
  });
});

describe('secrets', () => {
  it('leaves out identifiers that look like credentials', () => {
    const result = { ...fixture, identifiers: { channel: 'class-42', uids: { teacher: 1001 }, appId: 'a1b2c3d4e5', token: 'tok-secret-value' } };
    const draft = render({ result });
    expect(draft.body).toContain('- Channel: class-42');
    expect(draft.body).not.toMatch(/a1b2c3d4e5|tok-secret-value/);
    expect(draft.facts.identifiers).toEqual(['class-42', 'run_20261129T051246Z_429c7b', '1001']);
  });

  it('leaves out secrets a provider recorded under names no list foresees, by their shape', () => {
    const cert = '0123456789abcdef0123456789abcdef';
    const token = `007eJxTYBBa${'Q'.repeat(60)}`;
    const result = {
      ...fixture,
      versions: { ...fixture.versions, signingKey: cert, appCert: 'x', build: token },
      identifiers: { ...fixture.identifiers, session: token, nested: { rtcInfo: token } },
    };
    const draft = render({ result });
    const everything = `${draft.title}\n${draft.body}\n${draft.facts.identifiers.join(' ')}`;
    expect(everything).not.toContain(cert);
    expect(everything).not.toContain(token);
    expect(draft.body).not.toMatch(/signingKey|appCert/);
  });

  it('blanks out the value of a secret environment variable wherever it appears', () => {
    process.env.SUPPORTDRILL_TEST_AGORA_TOKEN = 'leaky-token-1234';
    try {
      const result = { ...fixture, identifiers: { ...fixture.identifiers, session: 'leaky-token-1234' } };
      const draft = render({ result, drill: { ...drill, ticket: { title: '{{drill.name}} leaky-token-1234' } } });
      expect(`${draft.title}\n${draft.body}\n${draft.facts.identifiers.join(' ')}`).not.toContain('leaky-token-1234');
      expect(draft.body).toContain('- session: [redacted]');
    } finally {
      delete process.env.SUPPORTDRILL_TEST_AGORA_TOKEN;
    }
  });
});

/** Every full date-time a line writes (`2026-11-29 05:13:00`, with or without milliseconds). */
const dateTimes = (line: string) => [...line.matchAll(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{3})?/g)].map((m) => m[0].slice(0, 19));

/** The header cells of the body's episodes table. */
const tableHeader = (body: string) => body.split('\n').find((line) => line.startsWith('| participant'))!.split('|').map((c) => c.trim()).filter(Boolean);

describe('in every timezone', () => {
  for (const [tz, began, header] of [
    ['UTC', '2026-11-29 05:13:00 UTC', ['participant', 'start (UTC)', 'duration', 'detected']],
    ['Asia/Shanghai', '2026-11-29 13:13:00 (Asia/Shanghai, UTC+08:00), that is 2026-11-29 05:13:00 UTC', ['participant', 'start (Asia/Shanghai)', 'start (UTC)', 'duration', 'detected']],
    ['America/New_York', '2026-11-29 00:13:00 (America/New_York, UTC-05:00), that is 2026-11-29 05:13:00 UTC', ['participant', 'start (America/New_York)', 'start (UTC)', 'duration', 'detected']],
  ] as const) {
    it(`writes each time once for a vendor on ${tz}, with one start column per distinct clock, the impact first`, () => {
      const { body, facts } = render({ vendorTimezone: tz });
      expect(body.split('\n')[0]).toBe("Impact: 2 of 2 students saw the teacher's picture frozen, for up to 12.2 s (24.4 s in all). Severity we give it: high.");
      expect(body).toContain(`- Trouble began: ${began}\n`);
      for (const line of body.split('\n')) expect(dateTimes(line), line).toEqual([...new Set(dateTimes(line))]);
      expect(tableHeader(body)).toEqual(header);
      expect(body).not.toContain('UTC, UTC+00:00');
      for (const written of facts.times) expect(body).toContain(written);
    });
  }

  it('writes a UTC time once for a vendor whose clock reads UTC then, and says it is theirs too', () => {
    const { body } = render({ vendorTimezone: 'Europe/London' });
    expect(body).toContain('- Trouble began: 2026-11-29 05:13:00 UTC (also Europe/London time)\n');
    expect(body).toContain('- Class in session: 2026-11-29 05:12:50 – 05:13:20 UTC (also Europe/London time)\n');
    expect(tableHeader(body)).toEqual(['participant', 'start (UTC, also Europe/London time)', 'duration', 'detected']);
  });

  it('writes a UTC vendor’s summary and steps in UTC alone', () => {
    const { body } = render({ vendorTimezone: 'Etc/UTC' });
    expect(body).toContain("the students' view of the teacher's video froze at 2026-11-29 05:13:00 UTC. Frozen: student-1 for 12.2 s from 05:13:00; student-2 for 12.2 s from 05:13:00 (UTC).");
    expect(body).toContain('3. The class is in session from 05:12:50 (UTC).');
  });

  it('offers {{incident}} and {{class}} to a drill template, and a UTC vendor’s {{incident.local}} reads once', () => {
    const template = '{{incident}} | {{class}} | {{incident.local}} | {{class.utc}}';
    expect(render({ vendorTimezone: 'UTC', drill: { ...drill, ticket: { body: template } } }).body).toBe(
      '2026-11-29 05:13:00 UTC | 2026-11-29 05:12:50 – 05:13:20 UTC | 2026-11-29 05:13:00 UTC | 2026-11-29 05:12:50 – 05:13:20 UTC',
    );
  });
});

/** A state episode of the fixture's fault, `durationMs` long from 05:13:00.900. */
function stateEpisode(participant: string, state: StateResult['state'], durationMs: number): StateResult {
  const start = Date.parse('2026-11-29T05:13:00.900Z');
  return {
    participant,
    state,
    startedAt: new Date(start).toISOString(),
    detectedAt: new Date(start + 500).toISOString(),
    endedAt: new Date(start + durationMs).toISOString(),
    durationMs,
    onsetDelayMs: 144,
    detectionOverheadMs: 0,
    recoveryMs: 200,
    fault: 0,
  };
}

describe('what the students saw besides freezes', () => {
  it('says a black picture in the impact, the title, the table and the steps', () => {
    const result = { ...fixture, freezes: [], states: [stateEpisode('student-1', 'blank', 8050)] };
    const draft = render({ result, vendorTimezone: 'America/New_York' });
    expect(draft.body.split('\n')[0]).toBe('Impact: 1 of 2 students saw a black or blank picture instead of the teacher, for 8.1 s. Severity we give it: high.');
    expect(draft.title).toBe('[DRILL-429c7b] The teacher\'s video went black for 8.1 s for student-1 during a live class');
    expect(tableHeader(draft.body)).toEqual(['participant', 'saw', 'start (America/New_York)', 'start (UTC)', 'duration', 'detected']);
    expect(draft.body).toContain('| student-1   | black/blank picture | 2026-11-29 00:13:00.900  | 2026-11-29 05:13:00.900Z | 8.1 s    | +500 ms  |');
    expect(draft.body).toContain('student-1 sees a black or blank picture instead of the teacher; the picture comes back after 8.1 s.');
    expect(draft.incidentAt).toBe(Date.parse('2026-11-29T05:13:00.900Z'));
  });

  it('says an audio dropout in the impact as lost sound', () => {
    const result = { ...fixture, freezes: [], states: [stateEpisode('student-2', 'audio-dropout', 3000)] };
    const { body, title } = render({ result });
    expect(body.split('\n')[0]).toBe("Impact: 1 of 2 students lost the teacher's sound, for 3.0 s. Severity we give it: high.");
    expect(title).toBe("[DRILL-429c7b] The teacher's sound dropped out for 3.0 s for student-2 during a live class");
    expect(body).toContain('No sound: student-2 for 3.0 s from 13:13:00 (Asia/Shanghai time).');
  });

  it('counts each kind of trouble and each student once, and overlapping time once', () => {
    // student-1 froze (12.2 s) and its picture went black inside the freeze; student-2 lost the sound.
    const result = { ...fixture, freezes: [fixture.freezes[0]!], states: [stateEpisode('student-1', 'blank', 8050), stateEpisode('student-2', 'audio-dropout', 3000)] };
    const { body } = render({ result });
    expect(body.split('\n')[0]).toBe(
      'Impact: 2 of 2 students: frozen picture (1 student), black/blank picture (1 student), no sound (1 student); for up to 12.2 s (15.2 s in all). Severity we give it: high.',
    );
  });
});

describe('students who could not join', () => {
  const joinFailures = [{ participant: 'student-2', reason: 'no video from the teacher within 8.0 s; its page said: signaling connection failed' }];

  it('opens with them and names them in the title, the summary and the steps', () => {
    const draft = render({ result: { ...fixture, freezes: [], joinFailures } });
    expect(draft.body.split('\n')[0]).toBe('Impact: 1 of 2 students could not join the class. Severity we give it: high.');
    expect(draft.title).toBe('[DRILL-429c7b] student-2 could not join a live class');
    expect(draft.body).toContain('Could not join: student-2 (no video from the teacher within 8.0 s; its page said: signaling connection failed).');
    expect(draft.body).toContain('3. Of them, student-2 cannot join: no video from the teacher within 8.0 s; its page said: signaling connection failed.');
  });

  it('counts them beside what the others saw', () => {
    const { body } = render({ result: { ...fixture, freezes: [fixture.freezes[0]!], joinFailures } });
    expect(body.split('\n')[0]).toBe('Impact: 2 of 2 students: could not join (1 student), frozen picture (1 student); for 12.2 s. Severity we give it: high.');
  });
});

describe('which signals confirmed a freeze', () => {
  it('adds a "confirmed by" column when the run recorded the signals', () => {
    const freezes = [
      { ...fixture.freezes[0]!, signals: { rendered: true as const, stats: true, provider: true } },
      { ...fixture.freezes[1]!, signals: { rendered: true as const, stats: null, provider: false } },
    ];
    const { body } = render({ result: { ...fixture, provider: 'agora', freezes } });
    expect(tableHeader(body).at(-1)).toBe('confirmed by');
    const rows = body.split('\n').filter((line) => line.startsWith('| student-'));
    expect(rows[0]).toMatch(/\| frames, Chrome stats, Agora events +\|$/);
    expect(rows[1]).toMatch(/\| frames only \(Chrome stats: no sample; Agora events: no\) \|$/);
  });

  it('leaves the column out for a run from before signals were recorded', () => {
    expect(tableHeader(render().body)).not.toContain('confirmed by');
  });
});

describe('camera-to-screen delay', () => {
  it('gives one line of p50 and p95 per student when the picture was stamped', () => {
    const delay = [
      { participant: 'student-1', p50Ms: 181.4, p95Ms: 240, maxMs: 410, samples: 29 },
      { participant: 'student-2', p50Ms: 190, p95Ms: 262.6, maxMs: 300, samples: 29 },
    ];
    const { body } = render({ result: { ...fixture, delay } });
    expect(body).toContain('\n\nCamera-to-screen delay per student: student-1 p50 181 ms, p95 240 ms; student-2 p50 190 ms, p95 263 ms.\n\nVersions');
  });

  it('says nothing of it when it was not measured', () => {
    expect(render().body).not.toContain('Camera-to-screen');
    expect(render().body).toContain('+505 ms  |\n\nVersions');
  });
});
