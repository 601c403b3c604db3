import { describe, expect, it } from 'vitest';
import { parseCommentDate, relayedComment, solvedNotice, vendorTicketNumber } from '../../src/vendors/email-reply.ts';

describe('vendorTicketNumber', () => {
  it.each([
    ['Your request (5521) has been received and is being reviewed.', '5521'],
    ['Ticket #88231 was created for you.', '88231'],
    ['[Case: 00123456] We received your case', '00123456'],
    ['您的工单（5521）已收到。', '5521'],
    ['工单编号：20261129-0042，我们将尽快处理。', '20261129-0042'],
  ])('finds the number in %j', (text, number) => {
    expect(vendorTicketNumber({ text })).toBe(number);
  });

  it('never takes our own reference tag for it', () => {
    expect(vendorTicketNumber({ subject: 'Re: ticket DRILL-999755 froze', text: 'About ticket DRILL-999755.' }, ['DRILL-999755'])).toBeUndefined();
  });

  it('ignores numbers in quoted history', () => {
    expect(vendorTicketNumber({ text: 'Thanks, looking.\n\nOn Sun, Nov 29, 2026 at 2:00 PM Someone wrote:\n> Your request (4411) has been received' })).toBeUndefined();
  });
});

describe('parseCommentDate', () => {
  it.each([
    ['Nov 29, 2026, 18:58:07 GMT+8', '2026-11-29T10:58:07.000Z'],
    ['November 29, 2026 at 6:58:07 PM UTC', '2026-11-29T18:58:07.000Z'],
    ['2026-11-29 18:58:07 +08:00', '2026-11-29T10:58:07.000Z'],
    ['2026年11月29日 18:58 (GMT+8)', '2026-11-29T10:58:00.000Z'],
  ])('reads %j', (line, iso) => {
    expect(parseCommentDate(line)?.toISOString()).toBe(iso);
  });

  it('a date line without a zone is recognised but gives no instant', () => {
    expect(parseCommentDate('Nov 29, 2026, 18:58')).toBeNull();
  });

  it('a line of text is not a date line', () => {
    expect(parseCommentDate('Alex Chen (Acme Support)')).toBeUndefined();
  });
});

describe('relayedComment', () => {
  const notification = [
    '##- Please type your reply above this line -##',
    '',
    'Your request (5521) has been updated. To add additional comments, reply to this email.',
    '----------------------------------------------',
    '',
    'Alex Chen (Acme Support)',
    '',
    'Nov 29, 2026, 18:58:07 GMT+8',
    '',
    'Which camera was the teacher using?',
    '',
    'Jamie Park (Acme Support)',
    '',
    'Nov 29, 2026, 14:10 GMT+8',
    '',
    'Please restart the app.',
    '',
    '----------------------------------------------',
    'This email is a service from Acme Support.',
  ].join('\n');

  it('takes the newest comment, its author and its own time', () => {
    expect(relayedComment(notification)).toEqual({
      authorName: 'Alex Chen (Acme Support)',
      at: new Date('2026-11-29T10:58:07.000Z'),
      text: 'Which camera was the teacher using?',
    });
  });

  it('a notification whose newest comment is our own relays no vendor comment', () => {
    const ack = [
      '##- Please type your reply above this line -##',
      '',
      'Your request (5521) has been received and is being reviewed by our support staff.',
      '',
      'School RTC trial',
      '',
      'Nov 29, 2026, 14:00 GMT+8',
      '',
      'During a live class in room run_20261129T051246Z_429c7b the video froze for 12.2 s.',
    ].join('\n');
    expect(relayedComment(ack, ['School RTC trial', 'drills@school.example'])).toBeUndefined();
  });

  it("a person's e-mail is not a notification", () => {
    expect(relayedComment('Hi,\n\nNov 29, 2026, 18:58:07 GMT+8 is when it froze?\n\nAlex')).toBeUndefined();
  });
});

describe('solvedNotice', () => {
  it.each([
    ['Your request (5521) has been solved. Reply to reopen it.', 'solved'],
    ['Your ticket has been marked as resolved.', 'solved'],
    ['Your request #5521 has been closed.', 'closed'],
    ['您的工单（5521）已解决。', 'solved'],
  ])('reads %j', (text, status) => {
    expect(solvedNotice(text)).toBe(status);
  });

  it('a reply that mentions solving is not a notice', () => {
    expect(solvedNotice('We think this should be solved by the new SDK.')).toBeUndefined();
  });
});
