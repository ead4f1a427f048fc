/** Colours of the charts, readable on white and on zinc-950: one per series, mid-tone. */
export const SERIES_COLORS = {
  calls: "#6366f1",
  errors: "#ef4444",
  p50: "#10b981",
  p95: "#f59e0b",
  p99: "#ef4444",
} as const;

/** Axis and grid strokes that work in both themes (the text colour follows `currentColor`). */
export const AXIS_COLOR = "currentColor";
export const GRID_COLOR = "rgba(113, 113, 122, 0.25)";
