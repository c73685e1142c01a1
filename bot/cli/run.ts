// How every CLI ends: its exit code, or one clear line for a configuration or file problem.
import { ConfigError } from '../config';

export function runCli(main: (args: string[]) => Promise<number>, known: (new (...a: never[]) => Error)[] = []): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      const clear = err instanceof ConfigError || known.some((k) => err instanceof k);
      console.error(clear ? (err as Error).message : err);
      process.exit(1);
    },
  );
}

/** The value after `--name` in a command line, if given. */
export function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Prints how a command is used; the exit code of a wrong command line. */
export function usage(text: string): number {
  console.error(text);
  return 2;
}
