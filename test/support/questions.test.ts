import { describe, expect, it } from 'vitest';
import { CLASSIFIED_TEXT_LIMIT, findQuestions } from '../../src/support/questions.ts';
import { classifyReply } from '../../src/support/classifier.ts';
import type { Question, QuestionTopic } from '../../src/core/question.ts';
import type { TicketFacts } from '../../src/core/ticket-facts.ts';
import { expectLinearGrowth } from '../core/linear-growth.ts';

/** What the default ticket template gives the vendor (no App ID, no network details). */
const FACTS: TicketFacts = {
  ref: 'DRILL-429c7b',
  identifiers: ['run_20261129T051246Z_429c7b'],
  times: ['13:13:00'],
  providedInfo: ['sdk-version', 'browser', 'os', 'channel', 'uid', 'timestamps', 'logs', 'screenshots', 'steps'],
};

const topics = (text: string, facts: TicketFacts | undefined = FACTS) => findQuestions(text, facts).map((q) => q.topic);

/** A question as found: given by the ticket unless said otherwise. */
const asked = (topic: QuestionTopic, text: string, alreadyGiven = true): Question => ({ topic, text, alreadyGiven });

/** One test per sentence: it asks exactly these topics, in this order. */
function findsTopics(cases: [string, QuestionTopic[]][]): void {
  it.each(cases)('%s', (sentence, expected) => {
    expect(topics(sentence)).toEqual(expected);
  });
}

describe('the phrase contract: every sentence a persona may ask is found, with its topics', () => {
  findsTopics([
    ["Could you please send us the SDK log and the browser console log from the teacher's machine?", ['logs']],
    ['麻烦提供一下老师端的 SDK 日志和浏览器控制台日志？', ['logs']],
    ['What is the channel name and the uid of the teacher?', ['channel', 'uid']],
    ['请问频道名和老师的 uid 是多少？', ['channel', 'uid']],
    ['At what time exactly did the freeze start, and in which timezone?', ['timestamps']],
    ['卡顿具体是几点开始的（哪个时区）？', ['timestamps']],
    ['Which SDK version and browser version were you using?', ['sdk-version', 'browser']],
    ['使用的 SDK 版本和浏览器版本是什么？', ['sdk-version', 'browser']],
    ['Can you send a screenshot of what the students saw?', ['screenshots']],
    ['Can you reproduce it with debug logging enabled?', ['reproduce']],
    ['Can you reproduce it on the latest SDK?', ['reproduce']],
    ['Can you reproduce it with debug logging enabled / on the latest SDK?', ['reproduce']],
    ['能否在开启调试日志后再复现一次？', ['reproduce']],
    ['Could we schedule a call with your engineer tomorrow?', ['other']],
    ['方便约个时间电话沟通吗？', ['other']],
    ['明天方便约个时间电话沟通吗？', ['other']],
    ['Could you try setting the parameter `videoProfile` to 720p_2 and tell us whether it helps?', ['other']],
  ]);

  it('keeps the sentence as the vendor wrote it', () => {
    const [question] = findQuestions('Hello,\n\nAt what time exactly did the freeze start,\nand in which timezone?\n\nBest regards,\nAlex', FACTS);
    expect(question!.text).toBe('At what time exactly did the freeze start, and in which timezone?');
  });
});

describe('polite requests are questions too', () => {
  findsTopics([
    ['Please send us the SDK log.', ['logs']],
    ['请提供日志。', ['logs']],
    ['Kindly share your App ID so we can look this up.', ['app-id']],
    ['Please try setting videoProfile to 720p_2 and let us know whether it helps.', ['other']],
    ['请问当时老师是否在使用无线网络', ['network']],
  ]);

  it('reads the items of a request list, not the line that opens it', () => {
    const text = 'To help us investigate, please provide the following:\n- Channel name\n- UID of the teacher\n- Screenshots';
    expect(findQuestions(text, FACTS)).toEqual([
      asked('channel', '- Channel name'),
      asked('uid', '- UID of the teacher'),
      asked('screenshots', '- Screenshots'),
    ]);
  });

  it('tells "how do we reproduce it" (the steps) from "reproduce it" (a new run)', () => {
    expect(topics('How can we reproduce it?')).toEqual(['steps']);
    expect(topics('Were you able to reproduce it on another machine?')).toEqual(['reproduce']);
  });

  it('asks a new run whether the problem is still there', () => {
    expect(topics('Is the issue still happening?')).toEqual(['reproduce']);
    expect(topics('请问问题是否已经解决？')).toEqual(['reproduce']);
  });
});

describe('what a diligent customer would not answer', () => {
  it.each([
    'Is there anything else we can help with?',
    'any questions?',
    'Do you have any other questions?',
    'If the issue persists, please let us know.',
    'If it happens again, could you send us the logs right away?',
    'Please let us know if you need anything else.',
    'Feel free to reply to this ticket.',
    '如有其他问题，请随时联系我们。',
    '还有其他问题吗？',
    '如果问题仍然存在，请告知我们。',
    'Please restart the app and check your network.',
    'We checked the logs and the teacher stayed connected.',
  ])('%s', (sentence) => {
    expect(findQuestions(sentence, FACTS)).toEqual([]);
  });

  it('does not answer "did this solve your problem?" on a resolution, and leaves it to a person elsewhere', () => {
    const sentence = 'Did this solve your problem?';
    expect(findQuestions(sentence, FACTS, { onResolution: true })).toEqual([]);
    expect(topics(sentence)).toEqual(['other']);
  });

  it('reads no question in quoted history or the signature', () => {
    const text = 'Thanks, we are on it.\n\nBest regards,\nAlex\nCan we help with anything?\n\nOn Sat, 29 Nov 2026 at 14:05, Drill wrote:\n> What is the channel name?';
    expect(findQuestions(text, FACTS)).toEqual([]);
  });
});

describe('already given', () => {
  it('marks what the ticket gave, from its facts', () => {
    const questions = findQuestions('Could you share your App ID? What is the channel name?', FACTS);
    expect(questions).toEqual([
      asked('app-id', 'Could you share your App ID?', false),
      asked('channel', 'What is the channel name?'),
    ]);
  });

  it('marks nothing as given without facts', () => {
    expect(findQuestions('What is the channel name?').map((q) => q.alreadyGiven)).toEqual([false]);
  });

  it('never marks a new run or a question for a person as given', () => {
    expect(findQuestions('Can you reproduce it? Could we schedule a call?', FACTS).map((q) => q.alreadyGiven)).toEqual([false, false]);
  });
});

describe('representative replies', () => {
  it('a first-line reply asking for logs, in English', () => {
    const text =
      'Hello,\n\nThank you for reaching out about 48213. Before our engineers can analyse a video freeze, they need the client-side logs of the session.\n\n' +
      "Could you please send us the SDK log and the browser console log from the teacher's machine?\n\nYou can attach them to a reply to this ticket.\n\nBest regards,\nAlex";
    expect(findQuestions(text, FACTS)).toEqual([
      asked('logs', "Could you please send us the SDK log and the browser console log from the teacher's machine?"),
    ]);
  });

  it('a first-line reply re-asking what the ticket gave, in Chinese', () => {
    const text = '您好，\n\n感谢您反馈视频卡顿的问题。为了在我们的记录中找到这节课，需要您补充一些信息。\n\n请问频道名和老师的 uid 是多少？\n卡顿具体是几点开始的（哪个时区）？\n\n李明';
    expect(findQuestions(text, FACTS)).toEqual([
      asked('channel', '请问频道名和老师的 uid 是多少？'),
      asked('uid', '请问频道名和老师的 uid 是多少？'),
      asked('timestamps', '卡顿具体是几点开始的（哪个时区）？'),
    ]);
  });

  it('an engineer who engages, then asks for a call', () => {
    const text =
      "Hi,\n\nOur server-side stats for channel run_20261129T051246Z_429c7b show the teacher's video bitrate falling to 0 kbps at 13:13:00. " +
      'Nothing in our records explains why, so I would like to go through the setup with your engineer.\n\nCould we schedule a call with your engineer tomorrow?\n\nSam';
    expect(topics(text)).toEqual(['other']);
  });

  it('a reply asking several things, each topic once, in order', () => {
    const text =
      'Which SDK version were you using? Please also send the logs. Can you send a screenshot of what the students saw? ' +
      'And the SDK logs of the students too, please? Is there anything else we can help with?';
    expect(topics(text)).toEqual(['sdk-version', 'logs', 'screenshots']);
  });
});

describe('classifyReply carries the questions', () => {
  it('gives the questions of a human reply', () => {
    const result = classifyReply({ text: 'We see the freeze at 13:13 on our side. What is the uid of the teacher?', facts: FACTS });
    expect(result.kind).toBe('human');
    expect(result.questions).toEqual([asked('uid', 'What is the uid of the teacher?')]);
  });

  it('gives the questions of a canned reply that asks for what the ticket gave', () => {
    const result = classifyReply({ text: 'Could you please provide the SDK version, the browser and the logs?', facts: FACTS });
    expect(result.kind).toBe('canned');
    expect(result.questions.map((q) => q.topic)).toEqual(['sdk-version', 'browser', 'logs']);
    expect(result.requestsProvidedInfo).toEqual(['sdk-version', 'browser', 'logs']);
  });

  it('drops "did this solve your problem?" from a resolution', () => {
    const result = classifyReply({ text: 'The root cause was an edge node that dropped keyframes; we have deployed a fix. Did this solve your problem?', facts: FACTS });
    expect(result.kind).toBe('resolution');
    expect(result.questions).toEqual([]);
  });

  it('gives no questions for an auto reply, whatever it asks', () => {
    const result = classifyReply({ text: 'What is the channel name?', headers: { 'auto-submitted': 'auto-replied' }, facts: FACTS });
    expect(result.kind).toBe('auto');
    expect(result.questions).toEqual([]);
  });
});

describe('the size of what is read', () => {
  it('reads no question past the limit', () => {
    const filler = 'We checked the data on our side and the edge node looked fine.\n'.repeat(Math.ceil(CLASSIFIED_TEXT_LIMIT / 63) + 10);
    expect(findQuestions(`${filler}What is the channel name?`, FACTS)).toEqual([]);
    expect(findQuestions(`What is the channel name?\n${filler}`, FACTS).map((q) => q.topic)).toEqual(['channel']);
  });

  it('cuts a long question at 300 characters', () => {
    const [question] = findQuestions(`Could you please send us the logs of ${'the teacher and '.repeat(40)}the students?`, FACTS);
    expect(question!.text.length).toBe(300);
    expect(question!.text.endsWith('…')).toBe(true);
  });
});

/** Log lines as vendors paste them, with a question now and then. */
function pastedReply(size: number, separator = '\n'): string {
  const lines: string[] = [];
  for (let i = 0, length = 0; length < size; i++) {
    const line =
      i % 7 === 0
        ? `Could you send the SDK log of uid ${1001 + (i % 3)} and tell us at what time it froze?`
        : `2026-11-29 13:13:${String(i % 60).padStart(2, '0')} uid ${1001 + (i % 3)} sendBitrate ${300 + (i % 97)} kbps fps ${i % 31}`;
    lines.push(line);
    length += line.length + 1;
  }
  return `Hello,\n\nhere is what our logs show:\n\n${lines.join(separator)}\n`;
}

describe('findQuestions takes time linear in the size of the reply', () => {
  it('on short lines with questions among them', () => {
    expectLinearGrowth((text) => findQuestions(text, FACTS), pastedReply(100 * 1024), pastedReply(1024 * 1024));
  });

  it('on one long line', () => {
    expectLinearGrowth((text) => findQuestions(text, FACTS), pastedReply(100 * 1024, ' '), pastedReply(1024 * 1024, ' '));
  });

  // Within the limit, so this measures the reading itself rather than the cut.
  it('on replies within the limit', () => {
    expectLinearGrowth((text) => findQuestions(text, FACTS), pastedReply(6 * 1024), pastedReply(60 * 1024));
  });

  it('on a reply made only of questions', () => {
    const questions = (n: number) => Array.from({ length: n }, (_, i) => `Could we schedule call number ${i} with your engineer?`).join(' ');
    expectLinearGrowth((text) => findQuestions(text, FACTS), questions(120), questions(1200));
  });
});
