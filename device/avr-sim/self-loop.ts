/**
 * Where a firmware already loops on itself forever: avr-libc ends every program with
 * `__stop_program: rjmp __stop_program`, reached only if main() returns. Moving the program counter
 * there makes the unmodified firmware hang (EmulatedBoard.hang), with no test code in it.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";

const run = promisify(execFile);

/** avr-libc's self-loop, in every program linked with its start-up code. */
const STOP_PROGRAM_SYMBOL = "__stop_program";

/** The flash byte address of `symbol` in an AVR ELF file, read with avr-nm (binutils-avr). */
export async function findSelfLoop(elf: string, symbol = STOP_PROGRAM_SYMBOL): Promise<number> {
  let stdout: string;
  try {
    ({ stdout } = await run("avr-nm", [elf], { timeout: 20_000, maxBuffer: 8 * 1024 * 1024 }));
  } catch (error) {
    const failure = error as { code?: unknown; stderr?: string };
    if (failure.code === "ENOENT") {
      throw new MassagerError(ErrorCode.EmulatorFailed, "avr-nm is not installed", {
        hint: "apt-get install -y binutils-avr",
        cause: error,
      });
    }
    const detail = (failure.stderr ?? String(error)).trim().split("\n")[0];
    throw new MassagerError(ErrorCode.EmulatorFailed, `avr-nm could not read ${elf}: ${detail}`, { cause: error });
  }
  for (const line of stdout.split("\n")) {
    const [address, , name] = line.trim().split(/\s+/);
    if (name === symbol && address !== undefined && /^[0-9a-f]+$/i.test(address)) return Number.parseInt(address, 16);
  }
  throw new MassagerError(ErrorCode.EmulatorFailed, `${elf} has no symbol ${symbol}`, {
    hint: "give an ELF linked with avr-libc's start-up code (a .hex has no symbols)",
  });
}
