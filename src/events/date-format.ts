import { resolveZone, wallToUtc, type Zone } from './zones.js';

/**
 * Java `SimpleDateFormat` patterns, which poller configurations use for URL placeholders and
 * for reading record dates (spec §4.2): `yyyy yy MM M MMM MMMM dd d HH H hh h mm m ss s SSS
 * a EEE EEEE Z X XX XXX z`, quoted literals (`'T'`, `''` for a quote) and punctuation.
 */

type Token = { kind: 'field'; letter: string; width: number } | { kind: 'literal'; text: string };

const MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const cache = new Map<string, Token[]>();

/** Splits a pattern into fields and literals; throws on a letter Java would also refuse. */
export function compilePattern(pattern: string): Token[] {
  const cached = cache.get(pattern);
  if (cached) return cached;
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length; ) {
    const char = pattern[i] as string;
    if (char === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end === i + 1) tokens.push({ kind: 'literal', text: "'" });
      else tokens.push({ kind: 'literal', text: pattern.slice(i + 1, end < 0 ? undefined : end) });
      i = end < 0 ? pattern.length : end + 1;
    } else if (/[a-zA-Z]/.test(char)) {
      let width = 1;
      while (pattern[i + width] === char) width++;
      if (!/[yMdHhmsSaEZXzk]/.test(char)) throw new Error(`unsupported pattern letter '${char}' in '${pattern}'`);
      tokens.push({ kind: 'field', letter: char, width });
      i += width;
    } else {
      tokens.push({ kind: 'literal', text: char });
      i++;
    }
  }
  cache.set(pattern, tokens);
  return tokens;
}

/** Writes an instant in a pattern and zone (default GMT). */
export function formatDate(utcMs: number, pattern: string, zoneId?: string): string {
  const zone = requireZone(zoneId);
  const offset = zone(utcMs);
  const wall = new Date(utcMs + offset * 60_000);
  return compilePattern(pattern)
    .map((t) => (t.kind === 'literal' ? t.text : field(t.letter, t.width, wall, offset)))
    .join('');
}

function field(letter: string, width: number, wall: Date, offset: number): string {
  const pad = (n: number, w = width) => String(n).padStart(w, '0');
  const hour = wall.getUTCHours();
  switch (letter) {
    case 'y':
      return width === 2 ? pad(wall.getUTCFullYear() % 100, 2) : pad(wall.getUTCFullYear());
    case 'M': {
      const month = wall.getUTCMonth();
      if (width >= 4) return MONTHS[month] as string;
      if (width === 3) return (MONTHS[month] as string).slice(0, 3);
      return pad(month + 1);
    }
    case 'd':
      return pad(wall.getUTCDate());
    case 'H':
      return pad(hour);
    case 'k':
      return pad(hour === 0 ? 24 : hour);
    case 'h':
      return pad(hour % 12 === 0 ? 12 : hour % 12);
    case 'm':
      return pad(wall.getUTCMinutes());
    case 's':
      return pad(wall.getUTCSeconds());
    case 'S':
      return pad(wall.getUTCMilliseconds());
    case 'a':
      return hour < 12 ? 'AM' : 'PM';
    case 'E': {
      const day = DAYS[wall.getUTCDay()] as string;
      return width >= 4 ? day : day.slice(0, 3);
    }
    default:
      return offsetText(letter, width, offset);
  }
}

/** `Z` → `-0800`; `X` → `-08`, `XX` → `-0800`, `XXX` → `-08:00` (and `Z` for zero); `z` → `GMT-08:00`. */
function offsetText(letter: string, width: number, offset: number): string {
  if (letter === 'X' && offset === 0) return 'Z';
  const sign = offset < 0 ? '-' : '+';
  const hours = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
  const minutes = String(Math.abs(offset) % 60).padStart(2, '0');
  if (letter === 'z') return offset === 0 ? 'GMT' : `GMT${sign}${hours}:${minutes}`;
  if (letter === 'X' && width === 1) return `${sign}${hours}`;
  if (letter === 'X' && width >= 3) return `${sign}${hours}:${minutes}`;
  return `${sign}${hours}${minutes}`;
}

interface Parsed {
  year: number;
  month: number;
  day: number;
  hour: number;
  pm: boolean | undefined;
  minute: number;
  second: number;
  millis: number;
  offset: number | undefined;
}

/**
 * Reads a date written in a pattern; the zone applies when the text carries no offset.
 * Returns undefined when the text does not match.
 */
export function parseDate(text: string, pattern: string, zoneId?: string): number | undefined {
  const zone = requireZone(zoneId);
  const parsed: Parsed = { year: 1970, month: 1, day: 1, hour: 0, pm: undefined, minute: 0, second: 0, millis: 0, offset: undefined };
  let at = 0;
  for (const token of compilePattern(pattern)) {
    if (token.kind === 'literal') {
      if (!text.startsWith(token.text, at)) return undefined;
      at += token.text.length;
      continue;
    }
    const consumed = readField(text, at, token.letter, token.width, parsed);
    if (consumed === undefined) return undefined;
    at += consumed;
  }
  if (at !== text.length) return undefined;
  return toInstant(parsed, zone);
}

function toInstant(p: Parsed, zone: Zone): number | undefined {
  const hour = p.pm === undefined ? p.hour : (p.hour % 12) + (p.pm ? 12 : 0);
  if (p.month < 1 || p.month > 12 || p.day < 1 || p.day > 31 || hour > 24 || p.minute > 59 || p.second > 60) {
    return undefined;
  }
  const date = new Date(0);
  date.setUTCFullYear(p.year, p.month - 1, p.day);
  date.setUTCHours(hour, p.minute, p.second, p.millis);
  const wall = date.getTime();
  return p.offset === undefined ? wallToUtc(wall, zone) : wall - p.offset * 60_000;
}

function readField(text: string, at: number, letter: string, width: number, p: Parsed): number | undefined {
  const rest = text.slice(at);
  if (letter === 'M' && width >= 3) return readName(rest, MONTHS, (i) => (p.month = i + 1));
  if (letter === 'E') return readName(rest, DAYS, () => undefined);
  if (letter === 'a') {
    const match = /^(AM|PM)/i.exec(rest);
    if (!match?.[1]) return undefined;
    p.pm = match[1].toUpperCase() === 'PM';
    return 2;
  }
  if ('ZXz'.includes(letter)) return readOffset(rest, p);
  // A field followed directly by another numeric field (yyyyMMdd) must take exactly its width.
  const match = /^\d+/.exec(rest);
  if (!match) return undefined;
  const value = match[0];
  const taken = letter === 'S' ? value : value.length > width && width > 1 ? value.slice(0, width) : value;
  assign(letter, width, taken, p);
  return taken.length;
}

function assign(letter: string, width: number, digits: string, p: Parsed): void {
  const n = Number(digits);
  if (letter === 'y') p.year = width === 2 && digits.length === 2 ? 2000 + n - (n > 69 ? 100 : 0) : n;
  else if (letter === 'M') p.month = n;
  else if (letter === 'd') p.day = n;
  else if (letter === 'H' || letter === 'h' || letter === 'k') p.hour = letter === 'k' && n === 24 ? 0 : n;
  else if (letter === 'm') p.minute = n;
  else if (letter === 's') p.second = n;
  else if (letter === 'S') p.millis = Number(digits.padEnd(3, '0').slice(0, 3));
}

function readName(rest: string, names: string[], set: (index: number) => void): number | undefined {
  for (const [index, name] of names.entries()) {
    for (const candidate of [name, name.slice(0, 3)]) {
      if (rest.toLowerCase().startsWith(candidate.toLowerCase())) {
        set(index);
        return candidate.length;
      }
    }
  }
  return undefined;
}

function readOffset(rest: string, p: Parsed): number | undefined {
  if (/^Z/.test(rest)) {
    p.offset = 0;
    return 1;
  }
  const match = /^(GMT|UTC)?([+-])(\d{2})(?::?(\d{2}))?/.exec(rest);
  if (!match) {
    if (/^(GMT|UTC)/.test(rest)) {
      p.offset = 0;
      return 3;
    }
    return undefined;
  }
  const minutes = Number(match[3]) * 60 + Number(match[4] ?? 0);
  p.offset = match[2] === '-' ? -minutes : minutes;
  return match[0].length;
}

function requireZone(zoneId: string | undefined): Zone {
  const zone = resolveZone(zoneId);
  if (!zone) throw new Error(`unknown time zone '${zoneId ?? ''}'`);
  return zone;
}

/** Throws unless a pattern and zone can be used, with a message naming what is wrong. */
export function checkPattern(pattern: string, zoneId?: string): void {
  compilePattern(pattern);
  requireZone(zoneId);
}
