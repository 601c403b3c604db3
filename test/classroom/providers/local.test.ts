import { describe, expect, it } from 'vitest';
import { classroomSchema } from '../../../src/classroom/classroom-schema.ts';
import { local, localTopology } from '../../../src/classroom/providers/local.ts';
import { UserError } from '../../../src/core/errors.ts';

const JANUS = '/usr/bin/janus';
const drill = (students: number, topology?: 'auto' | 'mesh' | 'sfu') => ({ classroom: { students, ...(topology ? { local: { topology } } : {}) } });

describe('the local classroom topology', () => {
  it('is the SFU for 2 or more students when Janus is there, else the mesh, unless the drill says', () => {
    expect(localTopology(drill(2), JANUS)).toBe('sfu');
    expect(localTopology(drill(3, 'auto'), JANUS)).toBe('sfu');
    expect(localTopology(drill(1), JANUS)).toBe('mesh');
    expect(localTopology(drill(5), undefined)).toBe('mesh');
    expect(localTopology(drill(5, 'mesh'), JANUS)).toBe('mesh');
    expect(localTopology(drill(1, 'sfu'), JANUS)).toBe('sfu');
  });

  it("refuses 'sfu' without Janus before anything starts, with the install command", () => {
    expect(() => localTopology(drill(3, 'sfu'), undefined)).toThrow(UserError);
    expect(() => localTopology(drill(3, 'sfu'), undefined)).toThrow(/needs the Janus media server.*sudo apt-get install -y janus.*npm run setup/);
  });

  it('reads classroom.local from the drill: auto by default, nothing unknown', () => {
    expect(classroomSchema.parse({ duration: '10s', local: {} }).local).toEqual({ topology: 'auto' });
    expect(classroomSchema.parse({ duration: '10s', local: { topology: 'sfu' } }).local).toEqual({ topology: 'sfu' });
    expect(classroomSchema.safeParse({ duration: '10s', local: { topology: 'star' } }).success).toBe(false);
    expect(classroomSchema.safeParse({ duration: '10s', local: { topolgy: 'sfu' } }).success).toBe(false);
  });

  it('creates the provider the topology names', () => {
    const mesh = local.create({ classroom: classroomSchema.parse({ duration: '10s', students: 3, local: { topology: 'mesh' } }) }, null);
    expect(mesh.topology?.()).toBe('mesh');
    expect(mesh.stopForwarding).toBeUndefined();
    const sfu = local.create({ classroom: { students: 3, local: { topology: 'sfu' } } }, null);
    expect(sfu.topology?.()).toBe('sfu (janus)');
    expect(sfu.hostsSeveral).toBe(true);
    expect(typeof sfu.stopForwarding).toBe('function');
  });
});
