import { describe } from "vitest";
import { storeEngines } from "../helpers/postgres.js";
import { runStoreContract } from "./contract.js";
import { runSearchContract } from "./search-contract.js";

const engines = await storeEngines();
describe("store", () => {
  for (const engine of engines) {
    runStoreContract(engine);
    runSearchContract(engine);
  }
});
