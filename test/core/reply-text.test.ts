import { describe, expect, it } from 'vitest';
import { extractReplyText, stripQuotedHistory, stripSignature } from '../../src/core/reply-text.ts';

describe('stripQuotedHistory', () => {
  it('cuts everything from an "On … wrote:" line', () => {
    const { body, quoted } = stripQuotedHistory(
      'Please restart the app.\n\nOn Sat, 29 Nov 2026 at 14:05, Drill <d@x.example> wrote:\n> froze at 14:03:12\n',
    );
    expect(body).toBe('Please restart the app.');
    expect(quoted).toContain('froze at 14:03:12');
  });

  it('recognises an "On … wrote:" attribution wrapped over two lines', () => {
    const { body } = stripQuotedHistory(
      'Please restart.\n\nOn Sat, 29 Nov 2026 at 14:05, Drill Bot <drills@school.example>\nwrote:\n\nchannel drill-7f3a9c froze',
    );
    expect(body).toBe('Please restart.');
  });

  it('removes interleaved > lines but keeps the answers between them', () => {
    const { body, quoted } = stripQuotedHistory('> Which uid froze?\nThe teacher, uid 1001.\n> When?\nAt 14:03.');
    expect(body).toBe('The teacher, uid 1001.\nAt 14:03.');
    expect(quoted).toContain('Which uid froze?');
  });

  it('cuts at an Outlook "-----Original Message-----" separator', () => {
    const { body } = stripQuotedHistory('Check your network.\n\n-----Original Message-----\nFrom: Drill\nSent: Saturday\nfroze at 14:03:12');
    expect(body).toBe('Check your network.');
  });

  it('cuts at a "From: … Sent: …" header block without a separator', () => {
    const { body } = stripQuotedHistory(
      'Please clear the cache.\n\nFrom: Drill Bot <drills@school.example>\nSent: Saturday, November 29, 2026 2:05 PM\nTo: Support\nSubject: froze\n\nchannel drill-7f3a9c',
    );
    expect(body).toBe('Please clear the cache.');
  });

  it('keeps a line that starts with "From:" when no header block follows', () => {
    const { body } = stripQuotedHistory('From: our side, the edge node looked healthy.\nWe keep checking.');
    expect(body).toBe('From: our side, the edge node looked healthy.\nWe keep checking.');
  });

  it('cuts at a Chinese "在…写道：" attribution', () => {
    const { body } = stripQuotedHistory('请重启应用。\n\n在 2026年11月29日 14:05，Drill Bot <drills@school.example> 写道：\n老师视频在14:03:12冻结');
    expect(body).toBe('请重启应用。');
  });

  it('cuts at a Gmail-style Chinese "…于…写道：" attribution', () => {
    const { body } = stripQuotedHistory('请检查网络。\n\nDrill Bot <drills@school.example> 于2026年11月29日周六 14:05写道：\n老师视频冻结');
    expect(body).toBe('请检查网络。');
  });

  it('cuts at a Chinese "发件人：" header block', () => {
    const { body } = stripQuotedHistory('请清除缓存。\n\n------------------ 原始邮件 ------------------\n发件人：Drill Bot\n发送时间：2026年11月29日\n主题：卡顿');
    expect(body).toBe('请清除缓存。');
    const direct = stripQuotedHistory('请清除缓存。\n\n发件人: Drill Bot\n发送时间: 2026年11月29日 14:05\n收件人: 支持');
    expect(direct.body).toBe('请清除缓存。');
  });

  it('drops the Zendesk reply-above-this-line marker', () => {
    const { body } = stripQuotedHistory('##- Please type your reply above this line -##\n\nWe checked channel drill-7f3a9c.');
    expect(body).toBe('We checked channel drill-7f3a9c.');
  });
});

describe('stripSignature', () => {
  it('cuts at the "-- " delimiter', () => {
    const { body, signature } = stripSignature('Please restart.\n-- \nAlex | Agora Support | +86 10 1001 2002');
    expect(body).toBe('Please restart.');
    expect(signature).toContain('Agora Support');
  });

  it('cuts a "Best regards" closing and the name under it', () => {
    const { body } = stripSignature('We deployed a fix.\n\nBest regards,\nAlex\nAgora Support\nhttps://agora.example');
    expect(body).toBe('We deployed a fix.');
  });

  it('cuts a Chinese "此致" closing and a "谢谢" closing', () => {
    expect(stripSignature('已修复。\n\n此致\n敬礼\n声网技术支持').body).toBe('已修复。');
    expect(stripSignature('请提供日志。\n谢谢！\n李明').body).toBe('请提供日志。');
  });

  it('cuts mobile footers', () => {
    expect(stripSignature('Will check.\n\nSent from my iPhone').body).toBe('Will check.');
    expect(stripSignature('稍后回复。\n\n发自我的iPhone').body).toBe('稍后回复。');
  });

  it('keeps a "Thanks," that opens the reply', () => {
    const text = 'Thanks,\nthe root cause was a bad edge node.';
    expect(stripSignature(text).body).toBe(text);
  });

  it('keeps a closing word followed by a long paragraph', () => {
    const long = 'x'.repeat(200);
    const text = `First line.\nThanks\n${long}`;
    expect(stripSignature(text).body).toBe(text);
  });
});

describe('extractReplyText', () => {
  it('removes the closing above the quoted history as well as the history', () => {
    const reply = extractReplyText(
      'Hi,\r\n\r\nPlease check your network.\r\n\r\nBest regards,\r\nAlex\r\n\r\nOn Sat, 29 Nov 2026, Drill <d@x.example> wrote:\r\n> uid 1001 froze at 14:03:12\r\n',
    );
    expect(reply.body).toBe('Hi,\n\nPlease check your network.');
    expect(reply.signature).toBe('Best regards,\nAlex');
    expect(reply.quoted).toContain('uid 1001');
  });

  it('leaves a reply without history or signature as it is', () => {
    expect(extractReplyText('We see packet loss on uid 1001.')).toEqual({
      body: 'We see packet loss on uid 1001.',
      quoted: '',
      signature: '',
    });
  });
});
