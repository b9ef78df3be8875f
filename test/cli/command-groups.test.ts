// The "collector" group gets subcommands from two files; neither depends on which registers first.
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerOperationCommands } from '../../bin/commands/operations.js';
import { registerRuntimeCommands } from '../../bin/commands/runtime.js';

function collectorSubcommands(order: 'runtime-first' | 'operations-first'): { names: string[]; description: string } {
  const program = new Command('xpears');
  const agent = program.command('agent');
  if (order === 'runtime-first') { registerRuntimeCommands(program, agent); registerOperationCommands(program); }
  else { registerOperationCommands(program); registerRuntimeCommands(program, agent); }
  const groups = program.commands.filter((c) => c.name() === 'collector');
  expect(groups).toHaveLength(1);
  return { names: groups[0]!.commands.map((c) => c.name()).sort(), description: groups[0]!.description() };
}

describe('command groups', () => {
  it('gives `collector` the same subcommands, status among them, whichever file registers first', () => {
    const a = collectorSubcommands('runtime-first');
    const b = collectorSubcommands('operations-first');
    expect(a.names).toContain('status');
    expect(a.names).toContain('start');
    expect(b).toEqual(a);
  });
});
