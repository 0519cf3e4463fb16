/**
 * In the repository, the shared helper; the consumer test copies test/support/engine-transforms.ts
 * over this file in the consumer project, which has no test/ folder.
 */
export { withEngineTransforms } from "../../support/engine-transforms";
