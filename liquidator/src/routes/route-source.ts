/**
 * Where swap routes and quotes come from. On the devnet and wherever the Mars swapper holds routes,
 * `SwapperRoutes`; an Osmosis SQS or Skip source plugs in here where those services are reachable.
 */
export interface Quote {
  /** The route to put in the swap message (`null`: the swapper's stored route). */
  route: unknown;
  /** Expected output in base units of `denomOut`. */
  amountOut: bigint;
}

export interface RouteSource {
  /**
   * A route and the expected output of swapping `amountIn` of `denomIn` into `denomOut`, from
   * prices no older than block `height` (a crash moves them in the very block a burst plans at).
   */
  quote(denomIn: string, amountIn: bigint, denomOut: string, height: number): Promise<Quote>;
  /** Starts reading, for the plans of block `height`, what the quotes asked before need. */
  prefetch(height: number): void;
}
