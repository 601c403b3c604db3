import { setPausedCommand } from './pause.ts';

export const resumeCommand = (argv: string[]): Promise<number> => setPausedCommand(argv, false);
