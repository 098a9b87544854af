import { expect, it } from "vitest";
import { DEFAULT_DEVNET_MNEMONIC } from "../../devnet/src/cli.js";
import { useDevnet } from "../../devnet/test/support/devnet.js";
import { CHAIN_PREFIXES, ChainClient, FeePolicy, Secret, TxSender, bankSendMsg, walletFromMnemonic } from "../src/index.js";

const dn = useDevnet(["--chain", "osmosis", "--activity", "0", "--block-time-ms", "15"]);
it("race", async () => {
  const t = dn();
  const client = new ChainClient({ rpc: [t.ready.rpc] });
  const fees = new FeePolicy({ client, chain: "osmosis", denom: "uosmo", minGasPrice: "0.0025", maxGasPrice: "1" });
  const wallet = await walletFromMnemonic(new Secret(DEFAULT_DEVNET_MNEMONIC), CHAIN_PREFIXES.osmosis, 3);
  const a = (await wallet.getAccounts()).map((x) => x.address);
  const s = new TxSender({ client, signer: wallet, address: a[2]!, fees });
  let errors = 0;
  for (let i = 0; i < 300; i++) {
    try { await s.broadcast([bankSendMsg(a[2]!, a[1]!, [{ denom: "uosmo", amount: "1" }])]); } catch (e) { errors++; console.log("ERR", (e as Error).message.slice(0, 200)); }
  }
  expect(errors).toBe(0);
}, 120_000);
