/**
 * The probe's wall-clock time in a corner of a student's window: a screenshot then shows the time
 * the teacher's picture stopped at (stamped into it) beside the time it was taken, which is what a
 * vendor's engineer needs to find the moment in their own data.
 */
export function installClockOverlay(): void {
  const show = () => {
    const clock = document.createElement('div');
    clock.id = 'supportdrill-clock';
    Object.assign(clock.style, {
      position: 'fixed', right: '4px', bottom: '4px', zIndex: '2147483647', padding: '2px 6px',
      font: '12px "DejaVu Sans Mono", monospace', color: '#fff', background: 'rgba(0,0,0,0.7)', pointerEvents: 'none',
    });
    document.body.append(clock);
    const tick = () => (clock.textContent = `now ${new Date().toISOString().slice(11, 23)} UTC`);
    tick();
    setInterval(tick, 100);
  };
  if (document.body) show();
  else document.addEventListener('DOMContentLoaded', show, { once: true });
}
