/** Token-guarded Redis locks (SET NX PX + compare-and-delete / compare-and-pexpire in Lua). */
export { AccountLock, lockScripts } from "./account-lock.js";
