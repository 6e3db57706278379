// Semantic colours for event lines. Two palettes are built once at load: one that colours through chalk and one
// that returns text unchanged, so the hot path never creates chalk instances or checks the colour flag per field.
import { Chalk } from "chalk";

type Paint = (text: string) => string;

export interface Palette {
  readonly enabled: boolean;
  /** timestamps, labels, separators */
  muted: Paint;
  /** the main subject of a line: a DNS name, SNI, signature */
  subject: Paint;
  good: Paint;
  warn: Paint;
  bad: Paint;
  info: Paint;
  accent: Paint;
  /** the fixed-width type tag of an event type */
  tag(eventType: string | undefined, text: string): string;
  /** alert severity: 1 is the most severe */
  severity(severity: number | undefined, text: string): string;
}

const identity: Paint = (text) => text;

const plainPalette: Palette = {
  enabled: false,
  muted: identity,
  subject: identity,
  good: identity,
  warn: identity,
  bad: identity,
  info: identity,
  accent: identity,
  tag: (_type, text) => text,
  severity: (_severity, text) => text,
};

function buildColorPalette(): Palette {
  // Level 1 (16 colours) renders the same on every terminal that has colour at all.
  const c = new Chalk({ level: 1 });
  const tagColors: Record<string, Paint> = {
    alert: c.red.bold,
    anomaly: c.yellow,
    dns: c.cyan,
    fileinfo: c.magenta,
    flow: c.blue,
    netflow: c.blue,
    http: c.green,
    tls: c.green,
    stats: c.magenta.bold,
    smb: c.yellow,
    ssh: c.cyan,
  };
  return {
    enabled: true,
    muted: c.gray,
    subject: c.bold,
    good: c.green,
    warn: c.yellow,
    bad: c.red,
    info: c.cyan,
    accent: c.magenta,
    tag: (type, text) => (type !== undefined && Object.hasOwn(tagColors, type) ? tagColors[type]!(text) : c.white(text)),
    severity: (severity, text) => {
      if (severity === 1) return c.red.bold(text);
      if (severity === 2) return c.yellow(text);
      if (severity === 3) return c.cyan(text);
      return text;
    },
  };
}

const colorPalette = buildColorPalette();

export function paletteFor(color: boolean): Palette {
  return color ? colorPalette : plainPalette;
}
