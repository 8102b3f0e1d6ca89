// Every `lab` verb, in the order `lab --help` lists them. One line per command module.
import type { CommandModule } from './types.js';
import { configCommand } from './config.js';

export const commands: readonly CommandModule[] = [configCommand];
