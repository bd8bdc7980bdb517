/**
 * What Hallway shows in place of an erased person's sealed fields (docs/trust.md). The projections,
 * exports and pages all get these strings from the sealing layer, so every place says the same.
 */
export const FORMER_COLLEAGUE = 'a former colleague';
export const REMOVED_TEXT = "removed at its teller's request";

/** True when a shown value is an erasure marker (pages show it in a muted style). */
export const isErasureMarker = (s: string | null | undefined): boolean => s === FORMER_COLLEAGUE || s === REMOVED_TEXT;
