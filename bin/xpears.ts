#!/usr/bin/env node
// The xpears CLI: registers the commands; heavy modules load only when their command runs.
// The one place that maps errors to exit codes and a line a person understands.
import './umask.js'; // first: every file this process makes is private (0600 in 0700 folders)
import { Command, CommanderError } from 'commander';
import { XpearsError } from '../lib/errors.js';
import { registerRegistryCommands } from './commands/registry.js';
import { registerRuntimeCommands } from './commands/runtime.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerOperationCommands } from './commands/operations.js';
import { registerReportCommands } from './commands/reports.js';
import { guardTerminal } from './output.js';
import { registerUserCommands } from './commands/users.js';
import { registerMaintenanceCommands, registerSilenceCommands } from './commands/noise.js';

/** Builds the program (exported so tests can run commands in-process). */
export function buildProgram(): Command {
  const program = new Command('xpears')
    .description('xpears-relay: ESET PROTECT and SEPM notifications, captured by an agent, turned into tickets by a collector')
    .version('0.1.0')
    .showHelpAfterError();
  const agent = program.command('agent').description('the agent on the customer\'s management server');
  registerRuntimeCommands(program, agent);
  registerRegistryCommands(program, agent);
  registerOperationCommands(program);
  registerReportCommands(program);
  registerUserCommands(program);
  registerMaintenanceCommands(program);
  registerSilenceCommands(program);
  registerDemoCommand(program);
  return program;
}

/** Runs the CLI; exit code 2 for a usage or configuration error, 1 for any other failure. */
export async function main(argv: string[]): Promise<void> {
  // A console's text (a computer name, a ticket title) may hold anything; the terminal never gets a control code.
  guardTerminal(process.stdout);
  guardTerminal(process.stderr);
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    if (err instanceof XpearsError) {
      console.error(`xpears: ${err.message}`);
      process.exitCode = err.code === 'CONFIG_INVALID' || err.code === 'CONFIG_NOT_FOUND' || err.code === 'INVALID_ARGUMENT' ? 2 : 1;
      return;
    }
    console.error(`xpears: unexpected failure: ${(err as Error).stack ?? String(err)}`);
    process.exitCode = 1;
  }
}

await main(process.argv);
