import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/core/run-result.ts';
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
    expect(body).toContain('2026-11-29 13:13:00 (Asia/Shanghai, UTC+08:00) = 2026-11-29 05:13:00 UTC');
  });

  it("writes times in whichever timezone the vendor works in", () => {
    const { body } = render({ vendorTimezone: 'America/New_York' });
    expect(body).toContain('2026-11-29 00:13:00 (America/New_York, UTC-05:00) = 2026-11-29 05:13:00 UTC');
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

  it('says in plain words who saw what, and that the picture came back', () => {
    const { body } = render();
    expect(body.split('\n')[0]).toBe(
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
    expect(facts.numbers).toEqual(['12.2 s']);
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
