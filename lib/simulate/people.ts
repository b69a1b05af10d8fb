import { faker } from "@faker-js/faker/locale/en";
import { METRO_AREAS } from "./metroAreas";
import { USER_AGENTS } from "./userAgents";
import { cumulativeWeights, type Rng } from "./rng";

// Profiles of simulated listeners. Names come from @faker-js/faker's English name lists, drawn with
// the simulator's own seeded generator so the output does not depend on faker's global state.

/** A listener's profile fields. */
export interface Profile {
  readonly firstName: string;
  readonly lastName: string;
  readonly gender: "M" | "F";
  readonly location: string;
  readonly userAgent: string;
}

const FEMALE = faker.definitions.person.first_name.female ?? [];
const MALE = faker.definitions.person.first_name.male ?? [];
const LAST = faker.definitions.person.last_name.generic ?? [];
const METRO_CUM = cumulativeWeights(METRO_AREAS.map(([, w]) => w));
const AGENT_CUM = cumulativeWeights(USER_AGENTS.map(([, w]) => w));
/** Share of men among listeners (11,651 M : 10,626 F in the full real set). */
const MALE_SHARE = 0.523;

/** Draws one listener's profile. */
export function drawProfile(rng: Rng): Profile {
  const gender = rng.next() < MALE_SHARE ? "M" : "F";
  const names = gender === "M" ? MALE : FEMALE;
  const firstName = names[rng.int(names.length)];
  const lastName = LAST[rng.int(LAST.length)];
  const location = METRO_AREAS[rng.pickCumulative(METRO_CUM)][0];
  const agent = USER_AGENTS[rng.pickCumulative(AGENT_CUM)][0];
  // Agents with a comma keep the literal quotes the real logs carry.
  const userAgent = agent.includes(",") ? `"${agent}"` : agent;
  return { firstName, lastName, gender, location, userAgent };
}

/**
 * The profile's JSON fields in eventsim's key order, as they follow itemInSession on a row that
 * shows the user: `,"location":…,"userAgent":…,"lastName":…,"firstName":…,"registration":…,"gender":…`.
 */
export function profileJson(p: Profile, registrationMs: number): string {
  return `,"location":${JSON.stringify(p.location)},"userAgent":${JSON.stringify(p.userAgent)},"lastName":${JSON.stringify(p.lastName)},"firstName":${JSON.stringify(p.firstName)},"registration":${registrationMs},"gender":"${p.gender}"`;
}
