/** The pack's entry: constructing the PolicyPack starts the analyzer server the engine talks to. */
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, packArgsOrExit } from "./policies";

new PolicyPack(PACK_NAME, packArgsOrExit());
