/**
 * The random stream of lib/random that a tree model's seed drives: `createRng(seed, TREE_STREAM)`. Fixed,
 * so that a seed grows the trees it always grew (the boosted trees' row and column draws, each forest tree's
 * bootstrap and feature draws from its own per-tree seed).
 */
export const TREE_STREAM = 0x9e3779b9;
