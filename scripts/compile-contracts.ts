/** `npm run contracts:compile`: compiles contracts/*.sol with solc-js into contracts/artifacts. */
import { compileContracts } from "@/server/chain/compile";

const started = Date.now();
const artifacts = compileContracts();
for (const a of Object.values(artifacts)) {
  console.log(`${a.contractName}: ${(a.bytecode.length - 2) / 2} bytes (${a.compiler})`);
}
console.log(`compiled in ${Date.now() - started} ms`);
