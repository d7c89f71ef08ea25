/** One option of a command, for `node:util` parseArgs and for the help text. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** May be given several times (`--only a --only b`). */
  multiple?: boolean;
  /** Placeholder shown in help: `FILE`, `MS`, `I/N`. */
  placeholder?: string;
  description: string;
}

/** A command's surface: its options, positionals and help. No behaviour. */
export interface CommandSpec {
  name: string;
  /** One line for `probe --help`. */
  summary: string;
  /** Usage line after `probe `. */
  usage: string;
  /** Positional arguments: how many are allowed, and what they are called in messages. */
  positionals?: { name: string; min: number; max?: number };
  options: Record<string, OptionSpec>;
  /** Extra help paragraphs (exit codes, examples). */
  notes?: string[];
}
