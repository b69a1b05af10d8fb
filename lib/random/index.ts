export { mulberry32 } from "./mulberry32";
export { createRng, mixSeed, type Rng } from "./rng";
export { shuffleInPlace, partialShuffle } from "./shuffle";
