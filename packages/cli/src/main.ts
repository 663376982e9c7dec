/** Entry of the `pretrain` binary: runs one command and returns the exit code. */
export async function main(_argv: readonly string[]): Promise<number> {
  return 0;
}
