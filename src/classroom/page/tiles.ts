/**
 * The <video> of one hosted student, laid out in a grid that fills the window: every student's
 * video must be on screen, since a video nobody can see presents no frames and would look frozen.
 */
export function tileFor(participant: string, count: number): HTMLVideoElement {
  const columns = Math.ceil(Math.sqrt(count));
  const rows = Math.ceil(count / columns);
  document.body.style.cssText += `;display:grid;grid-template-columns:repeat(${columns},1fr);grid-template-rows:repeat(${rows},1fr);height:100vh`;
  const video = document.createElement('video');
  Object.assign(video, { autoplay: true, muted: true, playsInline: true });
  video.dataset.participant = participant;
  video.style.cssText = 'width:100%;height:100%;min-height:0;object-fit:contain;background:#000';
  document.body.append(video);
  return video;
}
