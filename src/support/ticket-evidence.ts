/** The run's evidence files that go with the ticket, and how the body describes each. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface EvidenceFile {
  filename: string;
  path: string;
  contentType: string;
  describe: string;
}

const SCREENSHOT_ORDER = ['before', 'during', 'after'];

/** The files worth attaching, in reading order; empty console logs are left out as noise. */
export function evidenceFiles(dir: string): EvidenceFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const nonEmpty = (name: string) => {
    try {
      const stat = statSync(join(dir, name));
      return stat.isFile() && stat.size > 0;
    } catch {
      return false;
    }
  };
  const files: EvidenceFile[] = [];
  const add = (filename: string, contentType: string, describe: string) =>
    files.push({ filename, path: join(dir, filename), contentType, describe });
  if (names.includes('timeline.json') && nonEmpty('timeline.json')) {
    add('timeline.json', 'application/json', "every participant's video and network stats over the class, with the freeze, blank, still and no-sound episodes");
  }
  if (names.includes('chart.png') && nonEmpty('chart.png')) add('chart.png', 'image/png', "each student's rendered frame rate of the teacher's video over time");
  if (names.includes('delay.png') && nonEmpty('delay.png')) add('delay.png', 'image/png', "each student's camera-to-screen delay of the teacher's video over time, read from the time stamped into the picture");
  const rank = (name: string) => {
    const index = SCREENSHOT_ORDER.indexOf(name.slice('screenshot-'.length, -'.png'.length));
    return index === -1 ? SCREENSHOT_ORDER.length : index;
  };
  const screenshots = names.filter((n) => /^screenshot-.+\.png$/.test(n) && nonEmpty(n)).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  for (const name of screenshots) {
    const moment = name.slice('screenshot-'.length, -'.png'.length);
    add(name, 'image/png', `a student's screen ${SCREENSHOT_ORDER.includes(moment) ? `${moment} the freeze` : `(${moment})`}`);
  }
  for (const name of names.filter((n) => /^console-.+\.log$/.test(n) && nonEmpty(n)).sort()) {
    add(name, 'text/plain', `browser console of ${name.slice('console-'.length, -'.log'.length)}`);
  }
  return files;
}
