/**
 * The words of the messages supportdrill writes itself (follow-ups, close-outs) and the reference
 * line every message ends with, in the vendor's language. Short and polite, like a customer's
 * engineer who wants the ticket solved.
 */
export type Language = 'en' | 'zh';

/** The last line of every message we send: the ticket's reference tag and the message's own key. */
export function referenceLine(ref: string, key: string, language: Language): string {
  return language === 'zh' ? `我方编号：[${ref}]（${key}）` : `Our reference: [${ref}] (${key})`;
}

/** A message body with its reference line. */
export function withReference(body: string, ref: string, key: string, language: Language): string {
  return `${body.trimEnd()}\n\n${referenceLine(ref, key, language)}`;
}

/** "Any update?" — the `n`th follow-up after the vendor went silent. */
export function followUpText(n: number, ref: string, language: Language): string {
  if (language === 'zh') {
    return n === 1
      ? `您好，\n\n想跟进一下这个工单（${ref}）：课堂中老师视频卡顿的问题目前有进展吗？如需更多信息，请告诉我们。\n\n谢谢！`
      : `您好，\n\n再次跟进工单 ${ref}：我们仍在等待您的回复，问题在我们这边依然存在。请问预计什么时候能有结论？\n\n谢谢！`;
  }
  return n === 1
    ? `Hello,\n\nA quick follow-up on ${ref}: is there any update on the teacher's video freezing for the students? ` +
        `If you need anything else from us, please tell us and we will send it.\n\nThank you.`
    : `Hello,\n\nFollowing up again on ${ref}: we are still waiting for an answer and the problem is still open on our side. ` +
        `When can we expect an update?\n\nThank you.`;
}

/** Thanks the vendor and confirms the resolution, before the ticket is marked solved. */
export function closeOutText(ref: string, language: Language): string {
  return language === 'zh'
    ? `您好，\n\n感谢您的处理和说明，我们确认工单 ${ref} 的问题已经解决，可以关闭。\n\n谢谢！`
    : `Hello,\n\nThank you for the explanation and the fix. We confirm that ${ref} is resolved on our side; the ticket can be closed.\n\nBest regards.`;
}
