import { describe, expect, it } from 'vitest';
import { lineChartSvg } from '../../src/rendering/chart.ts';

describe('lineChartSvg', () => {
  const svg = lineChartSvg(
    [{ label: 'student-1 <b>', points: [{ x: 0, y: 20 }, { x: 10, y: 0 }, { x: 20, y: 20 }] }],
    [{ from: 10, to: 20, label: 'video-freeze → teacher' }],
    { title: 'fps & more', xLabel: 's', yLabel: 'fps', xMax: 30, width: 600, height: 200 },
  );

  it('draws one path per series through every point', () => {
    expect(svg.match(/<path /g)).toHaveLength(1);
    expect(svg).toMatch(/<path d="M\S+ \S+ L\S+ \S+ L\S+ \S+"/);
  });

  it('shades each fault span over a third of a 30 s axis for 10 s', () => {
    const rect = svg.match(/<rect x="([\d.]+)" y="\d+" width="([\d.]+)" height="\d+" fill="#f59e0b"/);
    expect(rect).not.toBeNull();
    expect(Number(rect![2])).toBeCloseTo((600 - 48 - 16) / 3, 0);
  });

  it('escapes text, so labels cannot inject markup', () => {
    expect(svg).toContain('student-1 &lt;b&gt;');
    expect(svg).toContain('fps &amp; more');
    expect(svg).not.toMatch(/<script|href=/);
  });
});
