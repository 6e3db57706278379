// Semantic colours of the dashboard, in one place: components name a role ("focus", "warn"), never a colour.
// With colour off (NO_COLOR, --color never) every role is undefined and ink prints plain text.

export interface Theme {
  border?: string;
  focus?: string;
  title?: string;
  muted?: string;
  good?: string;
  warn?: string;
  bad?: string;
  accent?: string;
  /** Sparklines and figures that move. */
  chart?: string;
}

export const COLOR_THEME: Theme = {
  border: "gray",
  focus: "cyan",
  title: "white",
  muted: "gray",
  good: "green",
  warn: "yellow",
  bad: "red",
  accent: "magenta",
  chart: "cyan",
};

export const PLAIN_THEME: Theme = {};

export function themeFor(color: boolean): Theme {
  return color ? COLOR_THEME : PLAIN_THEME;
}
