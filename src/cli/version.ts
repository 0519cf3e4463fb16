/** The package's version, compiled in from package.json (SARIF names the tool's version). */
import manifest from "../../package.json";

export const VERSION: string = manifest.version;
