/** Colour pipeline speed on Node (V8, as in the renderer). Run: npx tsx bench/colour.ts */
import { runColourBench } from './colourBench';

console.log(`node ${process.version}`);
runColourBench((line) => console.log(line));
