import { CHAIN_PREFIXES, walletFromMnemonic, type Component, type Logger } from "@mlb/shared";
import type { LiquidatorConfig } from "./config.js";

/**
 * The liquidator's HD accounts: index 0 is the master, 1..MAX_LIQUIDATORS sign liquidations.
 * Derived once at start; the addresses (never the mnemonic) are logged so operators can fund them.
 */
export class Signers implements Component {
  readonly name = "signers";
  addresses: string[] = [];
  readonly #config: LiquidatorConfig;
  readonly #logger: Logger;

  constructor(config: LiquidatorConfig, logger: Logger) {
    this.#config = config;
    this.#logger = logger.child({ component: this.name });
  }

  async start(): Promise<void> {
    const prefix = this.#config.CHAIN_PREFIX ?? CHAIN_PREFIXES[this.#config.CHAIN_NAME];
    const wallet = await walletFromMnemonic(this.#config.WALLET_MNEMONIC, prefix, this.#config.MAX_LIQUIDATORS + 1);
    this.addresses = (await wallet.getAccounts()).map((a) => a.address);
    this.#logger.info({ master: this.addresses[0], workers: this.addresses.slice(1) }, "signers derived");
  }

  ready(): boolean {
    return this.addresses.length > 0;
  }

  async stop(): Promise<void> {}
}
