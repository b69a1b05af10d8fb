import { faker } from "@faker-js/faker/locale/en";
import { Rng, cumulativeWeights, deriveSeed } from "./rng";

// The song catalogue: artists and titles built from @faker-js/faker's music and word lists with the
// simulator's seeded generator, Zipf-like play popularity (a few hits, a long tail), and lengths
// lognormal around four minutes, as in the Million Song Dataset eventsim draws from.

/** A generated catalogue, in flat arrays (one entry per song, most popular first). */
export interface Catalogue {
  /**
   * UTF-8 of `,"artist":…,"song":…,"length":…}` per song — the fields closing a NextSong line —
   * song i at songBytes[songOffsets[i] .. songOffsets[i+1]).
   */
  readonly songBytes: Uint8Array;
  readonly songOffsets: Int32Array;
  /** Song length in seconds (5 decimals, as the real logs print it). */
  readonly length: Float64Array;
  /** Running sum of play weights, for drawing the next song. */
  readonly cumulative: Float64Array;
  readonly artistCount: number;
}

/** Size of the default catalogue (the real mini set plays 58,480 distinct songs of 17,655 artists). */
export const CATALOGUE_SONGS = 90_000;
const CATALOGUE_ARTISTS = 26_000;
/** Zipf offset: the top song gets ~0.5% of plays, as "You're The One" does in the real logs. */
const ZIPF_OFFSET = 25;
const ZIPF_EXPONENT = 1;
/** Lognormal song length: median 234 s, mean about 249 s (real mean 249.1 s). */
const LENGTH_MEDIAN = 234;
const LENGTH_SIGMA = 0.36;

const d = faker.definitions;
const ARTISTS = d.music.artist ?? [];
const SONGS = d.music.song_name ?? [];
const ALBUMS = d.music.album ?? [];
const NOUNS = d.word.noun ?? [];
const ADJECTIVES = d.word.adjective ?? [];
const VERBS = d.word.verb ?? [];
const FIRST = [...(d.person.first_name.female ?? []), ...(d.person.first_name.male ?? [])];
const LAST = d.person.last_name.generic ?? [];

function title(s: string): string {
  return s.replace(/\b[a-z]/g, (c) => c.toUpperCase());
}

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[rng.int(xs.length)];
}

function artistName(rng: Rng): string {
  const r = rng.next();
  if (r < 0.3) return `${pick(rng, FIRST)} ${pick(rng, LAST)}`;
  if (r < 0.5) return `The ${title(pick(rng, ADJECTIVES))} ${title(pick(rng, NOUNS))}s`;
  if (r < 0.65) return `${pick(rng, LAST)} & The ${title(pick(rng, NOUNS))}s`;
  if (r < 0.8) return title(`${pick(rng, ADJECTIVES)} ${pick(rng, NOUNS)}`);
  if (r < 0.9) return `${pick(rng, ARTISTS)} feat. ${pick(rng, FIRST)} ${pick(rng, LAST)}`;
  return `DJ ${title(pick(rng, NOUNS))}`;
}

function songTitle(rng: Rng): string {
  const r = rng.next();
  if (r < 0.12) return pick(rng, SONGS);
  if (r < 0.24) return pick(rng, ALBUMS);
  if (r < 0.45) return title(`${pick(rng, ADJECTIVES)} ${pick(rng, NOUNS)}`);
  if (r < 0.6) return title(`${pick(rng, VERBS)} the ${pick(rng, NOUNS)}`);
  if (r < 0.72) return title(`${pick(rng, NOUNS)} of ${pick(rng, NOUNS)}`);
  if (r < 0.82) return `${pick(rng, SONGS)} (${pick(rng, ["Live", "Remix", "Album Version", "Acoustic", "Remastered"] as const)})`;
  if (r < 0.92) return title(pick(rng, NOUNS));
  return `${title(pick(rng, NOUNS))} ${pick(rng, ["Blues", "Song", "Dance", "Love", "Night"] as const)}`;
}

const cache = new Map<string, Catalogue>();

/** The catalogue of `seed`, built once per thread and reused (it is immutable). */
export function catalogueFor(seed: number, songs: number = CATALOGUE_SONGS): Catalogue {
  const key = `${seed}:${songs}`;
  let c = cache.get(key);
  if (!c) {
    c = buildCatalogue(seed, songs);
    // Keep only the latest few: runs with many seeds must not grow memory without bound.
    if (cache.size >= 4) cache.delete(cache.keys().next().value!);
    cache.set(key, c);
  }
  return c;
}

/** Builds the catalogue from `seed` (the same in every thread and run). */
export function buildCatalogue(seed: number, songs: number = CATALOGUE_SONGS): Catalogue {
  const rng = new Rng(deriveSeed(seed, 0x50_4e_47));
  const artistCount = Math.min(CATALOGUE_ARTISTS, Math.max(1, Math.round(songs / 3.5)));
  const artists: string[] = [];
  const seenArtists = new Set<string>();
  // Real artist names first (they read naturally), then generated ones, all distinct.
  for (const a of ARTISTS) {
    if (artists.length >= artistCount) break;
    if (!seenArtists.has(a)) { seenArtists.add(a); artists.push(a); }
  }
  while (artists.length < artistCount) {
    const a = artistName(rng);
    if (!seenArtists.has(a)) { seenArtists.add(a); artists.push(a); }
  }
  // Shuffle so that the real names are not all the most-played artists.
  for (let i = artists.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [artists[i], artists[j]] = [artists[j], artists[i]];
  }
  const songJson: string[] = new Array(songs);
  const length = new Float64Array(songs);
  const weights = new Float64Array(songs);
  const seenSongs = new Set<string>();
  for (let i = 0; i < songs; i++) {
    // Popular songs tend to come from popular artists: squaring skews artist choice to the front.
    const u = rng.next();
    const artist = artists[Math.floor(u * u * artistCount)];
    let name = songTitle(rng);
    for (let tries = 0; seenSongs.has(`${artist}\u0000${name}`) && tries < 5; tries++) name = songTitle(rng);
    seenSongs.add(`${artist}\u0000${name}`);
    const len = Math.min(3024.66566, Math.max(18.0, LENGTH_MEDIAN * Math.exp(LENGTH_SIGMA * rng.gaussian())));
    length[i] = Math.round(len * 1e5) / 1e5;
    weights[i] = 1 / Math.pow(i + ZIPF_OFFSET, ZIPF_EXPONENT);
    songJson[i] = `,"artist":${JSON.stringify(artist)},"song":${JSON.stringify(name)},"length":${length[i]}}`;
  }
  const encoded = Buffer.from(songJson.join(""), "utf8");
  const songOffsets = new Int32Array(songs + 1);
  for (let i = 0, off = 0; i < songs; i++) {
    off += Buffer.byteLength(songJson[i], "utf8");
    songOffsets[i + 1] = off;
  }
  const songBytes = new Uint8Array(encoded.length);
  songBytes.set(encoded);
  return { songBytes, songOffsets, length, cumulative: cumulativeWeights(weights), artistCount };
}

/** The JSON fragment of song `i` (`,"artist":…,"song":…,"length":…}`). */
export function songFragment(c: Catalogue, i: number): string {
  return Buffer.from(c.songBytes.buffer, c.songBytes.byteOffset, c.songBytes.byteLength).toString("utf8", c.songOffsets[i], c.songOffsets[i + 1]);
}
