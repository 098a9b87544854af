/**
 * The swapper (spec §7) and the devnet's oracle-following pools, re-exported from `swapper/`:
 * `SwapperModel`, `setRoute`, `addPool`, `setUpSwapperMarket`, `directRoutes`, `genesisLiquidity`.
 */
export { SwapperModel, setRoute, type SwapperOptions } from "./swapper/contract.js";
export { addPool, genesisLiquidity, listPools, type Pool, type PoolSpec } from "./swapper/pools.js";
export { directRoutes, setUpSwapperMarket, type RouteSpec, type SwapperMarketOptions } from "./swapper/genesis.js";
