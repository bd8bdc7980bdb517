/** A `hallway` subcommand: its arguments in, the process's exit code out. */
export type Command = (args: string[]) => Promise<number>;
