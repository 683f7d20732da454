import type { Command } from 'commander';
import type { CommandContext } from '../main.ts';

export function registerFetchCommands(_program: Command, _context: CommandContext): void {}
