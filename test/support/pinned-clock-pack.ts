/**
 * TEST ONLY: the policy pack with its clock pinned, for the end-to-end tests that need a fixed
 * "today" (review dates, exemption expiry). The shipped entry (`policies/index.ts`) reads the
 * system clock and offers no override; this entry is the same pack with another clock injected,
 * and the date is compiled into the bundle (`buildPinnedClockPack`), so nothing a deployment
 * sets can reach it.
 */
import { PolicyPack } from "@pulumi/policy";
import { loadPackContext, PACK_NAME, packArgsOrExit } from "../../policies/policies";

declare const PINNED_TODAY: string;

new PolicyPack(
  PACK_NAME,
  packArgsOrExit(() => loadPackContext(process.env, process.cwd(), () => PINNED_TODAY)),
);
