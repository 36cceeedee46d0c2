/**
 * Runs the real `massager` command (runCli, unchanged) with one more device scheme, `NAME:SPEC`:
 * SPEC's own transport (tcp:..., serial:...) wrapped by `wrap`, passed in through runCli's
 * extraDeviceSchemes. The crash launchers wrap it in a transport that fails on purpose.
 */
import { runCli } from "../../../device/cli/cli.ts";
import { defaultDeviceSchemes, type ResolvedDevice } from "../../../device/composition/device-schemes.ts";
import { deviceFromSpec, type SchemeResolver } from "../../../device/composition/device-spec.ts";
import type { Transport } from "../../../device/transport/transport.ts";

export async function runCliWithScheme(
  name: string,
  wrap: (inner: Transport) => Transport,
  args: readonly string[],
): Promise<void> {
  const schemes = defaultDeviceSchemes();
  const resolver: SchemeResolver<ResolvedDevice> = (rest, context) => {
    const target = deviceFromSpec(rest, context, schemes);
    return { ...target, scheme: name, transport: () => wrap(target.transport()) };
  };
  await runCli([process.argv[0] ?? "node", "massager", ...args], { extraDeviceSchemes: new Map([[name, resolver]]) });
}
