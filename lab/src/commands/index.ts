// Every `lab` verb, in the order `lab --help` lists them. One line per command module.
import type { CommandModule } from './types.js';
import { configCommand } from './config.js';
import { inventoryCommand } from './inventory.js';
import { secretsCommand } from './secrets.js';

export const commands: readonly CommandModule[] = [configCommand, secretsCommand, inventoryCommand];
