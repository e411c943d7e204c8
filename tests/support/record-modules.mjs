// `node --import tsx --import ./tests/support/record-modules.mjs …` writes the URL of every
// module the process loads to the file named by RECORD_MODULES_TO, one per line.
import { register } from "node:module";

register("./record-modules-hooks.mjs", import.meta.url, {
  data: { file: process.env.RECORD_MODULES_TO },
});
