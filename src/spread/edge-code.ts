/**
 * A cascade edge packed into one integer, so the dashboard reads a window's edges as one number
 * per row (a third of the time of three strings per row, measured on 54k edges):
 * story number · 2^26 + parent's department number · 2^13 + child's department number.
 * Exact in a double: story numbers below 2^27, department numbers below 2^13 (8,192).
 */
export const DEPARTMENT_LIMIT = 2 ** 13;
export const STORY_LIMIT = 2 ** 27;
const TO = DEPARTMENT_LIMIT;
const FROM = TO * DEPARTMENT_LIMIT;

export function encodeEdge(storyNo: number, fromNo: number, toNo: number): number {
  if (!(storyNo >= 0 && storyNo < STORY_LIMIT && fromNo >= 0 && fromNo < DEPARTMENT_LIMIT && toNo >= 0 && toNo < DEPARTMENT_LIMIT)) {
    throw new RangeError(`edge out of range: story ${storyNo}, departments ${fromNo} -> ${toNo}`);
  }
  return storyNo * FROM + fromNo * TO + toNo;
}

export const edgeStory = (edge: number): number => Math.floor(edge / FROM);
export const edgeFrom = (edge: number): number => Math.floor(edge / TO) % DEPARTMENT_LIMIT;
export const edgeTo = (edge: number): number => edge % DEPARTMENT_LIMIT;

/** A story's theme packed the same way: story number · 2^20 + theme number (themes below 2^20). */
export const THEME_LIMIT = 2 ** 20;
export function encodeStoryTheme(storyNo: number, themeNo: number): number {
  if (!(storyNo >= 0 && storyNo < STORY_LIMIT && themeNo >= 0 && themeNo < THEME_LIMIT)) throw new RangeError(`story theme out of range: story ${storyNo}, theme ${themeNo}`);
  return storyNo * THEME_LIMIT + themeNo;
}
export const pairStory = (pair: number): number => Math.floor(pair / THEME_LIMIT);
export const pairTheme = (pair: number): number => pair % THEME_LIMIT;
