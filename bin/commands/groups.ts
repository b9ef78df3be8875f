// Command groups ("collector", "agent"…) that several files add subcommands to: whichever registers first creates
// the group, the others find it, so no file depends on the order the commands are registered in.
import type { Command } from 'commander';

/** The program's subcommand `name`, created when no file has yet; `description` is set when given. */
export function commandGroup(program: Command, name: string, description?: string): Command {
  const group = program.commands.find((c) => c.name() === name) ?? program.command(name);
  if (description) group.description(description);
  return group;
}
