// Every `lab` verb, in the order `lab --help` lists them. One line per command module.
import type { CommandModule } from './types.js';
import { alertsCommand } from './alerts.js';
import { configCommand } from './config.js';
import { doctorCommand } from './doctor.js';
import { gateCommand } from './gate.js';
import { inventoryCommand } from './inventory.js';
import { lifecycleCommand } from './lifecycle.js';
import { loadtestCommand } from './loadtest.js';
import { secretsCommand } from './secrets.js';

export const commands: readonly CommandModule[] = [
  lifecycleCommand,
  doctorCommand,
  configCommand,
  secretsCommand,
  inventoryCommand,
  gateCommand,
  loadtestCommand,
  alertsCommand,
];
