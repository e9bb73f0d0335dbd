/**
 * Shell commands laid out to be pasted whole (a terminal face's `$ …` lines, --help's examples):
 * broken only between arguments, with ` \` continuations, so that pasted they are still one
 * command. No prose wrapping here, and so no wrap-ansi: `--help` lays out its examples with this
 * alone (help-text.ts), and loading wrap-ansi with its width tables was about 50 ms of CPU of a
 * 230 ms `--help` (a commander hello-world's is 146 ms).
 */

/** below this, a line holds a word or two whatever the width */
export const MIN_WRAP = 8;

/**
 * A shell command's arguments: split at spaces outside quotes ('…', "…"), each flag kept with its
 * value (`--function-name NAME`), so a break never falls inside a quoted argument or between a
 * flag and what it takes.
 */
export function commandArgs(cmd: string): string[] {
  const words: string[] = [];
  let cur = '';
  let quote: string | undefined;
  for (const ch of cmd.trim()) {
    if (quote) {
      cur += ch;
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') {
      cur += ch;
      quote = ch;
    } else if (ch === ' ') {
      if (cur) words.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur) words.push(cur);
  const units: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const next = words[i + 1];
    if (/^--?[A-Za-z]/.test(w) && next !== undefined && !/^--?[A-Za-z]/.test(next) && !/^[|&;]/.test(next)) {
      units.push(`${w} ${next}`);
      i++;
    } else units.push(w);
  }
  return units;
}

/**
 * One command laid out to be copied and pasted whole: on one line when it fits, else broken at
 * argument boundaries with ` \` at the end of each line but the last and the next lines indented,
 * which a shell reads as one command. Never inside a quoted argument but a JSON body, between its
 * members (jsonPieces), or aws shorthand, between its keys (shorthandPieces); any other argument
 * longer than the width stays whole. An infinite width (the plain face) keeps it on one line, as
 * it was given. format.ts's commandLines lays out several, and the notes above them.
 */
export function commandLayout(one: string, width: number, prefix: string, indent: string): string[] {
  if (!Number.isFinite(width) || prefix.length + one.length <= width) return [prefix + one];
  const out: string[] = [];
  let line = prefix;
  let empty = true;
  // a flag and its value that do not fit on a line of their own go on two: the break between
  // them is a break between words, and the terminal would otherwise cut the value mid-word
  const units: { text: string; inQuote?: boolean; glued?: boolean }[] = commandArgs(one).flatMap((u) => {
    if (indent.length + u.length + 2 <= width) return [{ text: u }];
    const quoted = jsonPieces(u) ?? shorthandPieces(u);
    if (quoted) return quoted.map((text, i) => ({ text, inQuote: i > 0 }));
    // a bare shorthand value wider than a line of its own at the indent (with its ` \`) is quoted
    // to be cut at its commas, and only where each piece then fits, with the ` \` after the last:
    // else it stays whole. Not moved to fit a column or two left (uniformIndent moved every
    // continuation with it: the Throttles and peak queries at 6 where every other command has 8)
    const bare = (v: string) => {
      if (indent.length + v.length + 2 <= width) return undefined;
      const pieces = shorthandPieces(quotedShorthand(v));
      return pieces?.every((piece) => indent.length + piece.length + 2 <= width) ? pieces : undefined;
    };
    const pair = /^(--?[A-Za-z][^ ]*) (.+)$/.exec(u);
    const v = pair ? pair[2]! : u;
    const pieces = bare(v);
    const glued = pieces || indent.length - 2 + v.length + 2 <= width ? undefined : gluedPieces(v, width - indent.length - 3, width - 4);
    const value = pieces ? pieces.map((text, i) => ({ text, inQuote: i > 0 })) : glued ? glued.map((text, i) => ({ text, glued: i > 0 })) : [{ text: v }];
    return pair ? [{ text: pair[1]! }, ...value] : value;
  });
  // one indent for every continuation of the command: where an argument that cannot be cut fits
  // only a column or two left of it, all of them move there, rather than that line alone
  const pad = ' '.repeat(uniformIndent(indent.length, units, width));
  for (const [i, { text: unit, inQuote, glued }] of units.entries()) {
    // the next piece of a single-quoted argument (gluedPieces): its quote closed, `\` and a newline,
    // which the shell removes, and the next piece quoted from the first column, so the shell joins
    // them into one word; any indent would be a space between two words
    if (glued) {
      out.push(`${line}'\\`);
      line = `'${unit}`;
      continue;
    }
    // a JSON body's next member: inside its quotes a ` \` would be sent as it is, so the break is
    // a plain newline, which JSON reads as the white space between members
    if (inQuote) {
      // the quote's last piece, with more after it, keeps room for the ` \` that ends its line
      const tail = i < units.length - 1 && !units[i + 1]!.inQuote ? 2 : 0;
      if (line.length + unit.length + tail > width) {
        out.push(line);
        line = pad + unit;
      } else line += unit;
      continue;
    }
    // room for the unit and the ` \` that would end this line
    if (!empty && line.length + 1 + unit.length + 2 > width) {
      out.push(`${line} \\`);
      const continued = i < units.length - 1 && !units[i + 1]!.inQuote;
      line = continuationPad(pad.length, unit.length, continued, width) + unit;
    } else line += empty ? unit : ` ${unit}`;
    empty = false;
  }
  out.push(line);
  return out;
}

/**
 * The indent of a command's continuation lines: `indent`, or a column or two less where an
 * argument with a comma (with its ` \`, unless it is the last) fits on a line only there. One that
 * fits at none of them keeps `indent` (continuationPad places it), and so does one with no comma
 * (a log group's path, a long name): it moved every continuation of the command to 6 or 7, where
 * every other command has 8, for one line that continuationPad places by itself.
 */
function uniformIndent(indent: number, units: readonly { text: string; inQuote?: boolean; glued?: boolean }[], width: number): number {
  let pad = indent;
  for (const [i, u] of units.entries()) {
    if (u.inQuote || u.glued || i === 0 || !u.text.includes(',')) continue;
    const tail = i < units.length - 1 ? 2 : 0;
    if (indent + u.text.length + tail <= width) continue;
    for (let p = indent - 1; p >= Math.max(0, indent - 2); p--) {
      if (p + u.text.length + tail <= width) {
        pad = Math.min(pad, p);
        break;
      }
    }
  }
  return pad;
}

/**
 * The spaces before an argument (`word` columns) that starts a continuation line, and is
 * `continued` by a ` \` at its end: the indent, unless the line is wider than the width and the
 * terminal would break it where its ` \` makes a row of its own, that is, where the argument ends
 * at the end of a row or one short of it (its space at the end of the row). At 80 columns the peak
 * query's `        Name=FunctionName,Value=<a 48-character name> \` was 82 wide and its second row
 * ` \` alone. Then the indent moves by a column or two, to fewer where they can (that line fits
 * at 6 spaces). Any spaces do: a shell reads them only as the break between two arguments.
 */
function continuationPad(indent: number, word: number, continued: boolean, width: number): string {
  if (!continued || indent + word + 2 <= width) return ' '.repeat(indent);
  // the column the argument ends in, on its terminal row
  const lone = (pad: number) => {
    const end = (pad + word) % width;
    return end === 0 || end === width - 1;
  };
  for (const pad of [indent, indent - 1, indent - 2, indent + 1, indent + 2]) if (pad >= 0 && !lone(pad)) return ' '.repeat(pad);
  return ' '.repeat(indent);
}

/**
 * A single-quoted JSON argument (`-d '{"bucket":"…","key":"…"}'`, its flag before it or not) cut
 * after each comma between members or items, where a line break is white space to JSON: the
 * terminal would otherwise cut it mid-word, and a name or a value never breaks. Undefined when it is
 * not JSON or has a single member.
 */
function jsonPieces(unit: string): string[] | undefined {
  const m = /^((?:--?[A-Za-z][^ ]* )?)'([{[][^']*)'$/.exec(unit);
  if (!m) return undefined;
  const body = m[2]!;
  try {
    JSON.parse(body);
  } catch {
    return undefined;
  }
  const pieces: string[] = [];
  let start = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === ',') {
      pieces.push(body.slice(start, i + 1));
      start = i + 1;
    }
  }
  pieces.push(body.slice(start));
  if (pieces.length < 2) return undefined;
  pieces[0] = `${m[1]}'${pieces[0]}`;
  pieces[pieces.length - 1] += "'";
  return pieces;
}

/**
 * A single-quoted argument in the aws CLI's shorthand syntax (`--canary-settings
 * 'percentTraffic=10,useStageCache=false,stageVariableOverrides={lambdaAlias=5}'`, 78 columns with
 * its quotes) cut after each comma that ends a `key=value`, where the CLI's shorthand parser skips
 * white space, a newline too (awscli/shorthand.py: `_expect(',', consume_whitespace=True)`; tried
 * with aws-cli 1.45 against the local cloud). A comma inside a value (`key=a,b`, a list) is not
 * cut. Undefined when it is not shorthand or has a single key.
 */
function shorthandPieces(unit: string): string[] | undefined {
  const m = /^((?:--?[A-Za-z][^ ]* )?)'([\w.#/:-]+@?=[^']*)'$/.exec(unit);
  if (!m) return undefined;
  const pieces = m[2]!.split(/(?<=,)(?=[\w.#/:-]+@?=)/);
  if (pieces.length < 2) return undefined;
  pieces[0] = `${m[1]}'${pieces[0]}`;
  pieces[pieces.length - 1] += "'";
  return pieces;
}

/**
 * A single-quoted ARN wider than any line (step 6's put-integration
 * `--uri 'arn:aws:apigateway:…:function:NAME:${stageVariables.lambdaAlias}/invocations'`, about 200
 * columns), cut after a `:` or `/` into pieces that commandLines prints each in its own quotes,
 * joined by `\` and a newline with no indent (`'…/'\` then `'…'`): the shell removes the
 * backslash-newline and reads adjacent quoted strings as one word, so pasted it is the same argument,
 * where the terminal had cut it anywhere. The first piece fits in `first` columns, the others in
 * `rest`, between their quotes. Undefined when the unit is no such argument.
 */
function gluedPieces(unit: string, first: number, rest: number): string[] | undefined {
  // an ARN only: a URL stays whole, to be clicked, and other text whole as before
  const m = /^'(arn:[^']+)'$/.exec(unit);
  if (!m || first < MIN_WRAP || rest < MIN_WRAP) return undefined;
  const pieces = packed(m[1]!.split(/(?<=[:/])/), first, rest);
  if (pieces.length < 2) return undefined;
  pieces[0] = `'${pieces[0]}`;
  pieces[pieces.length - 1] += "'";
  return pieces;
}

/**
 * A bare (unquoted) shorthand argument (`op=replace,path=/canarySettings/stageVariableOverrides/lambdaAlias,value=6`,
 * an update-stage patch operation, 74 columns), single-quoted, so that shorthandPieces can cut it
 * after a comma inside the quotes: unquoted, a break there would make two arguments, two patch
 * operations. Quoting changes nothing for the shell: a word with nothing it expands is the same
 * word in quotes. '' when the unit is no such word.
 */
function quotedShorthand(unit: string): string {
  const m = /^((?:--?[A-Za-z][^ ]* )?)([\w.#/:-]+@?=[^\s'"\\$`!*?~]*)$/.exec(unit);
  return m ? `${m[1]}'${m[2]}'` : '';
}

/**
 * Segments packed into lines: as many whole ones on a line as fit (`first` columns on the first
 * line, `rest` on the others); a segment wider than a line is cut at its width.
 */
export function packed(segments: string[], first: number, rest: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const segment of segments) {
    for (let left = segment; left; ) {
      const room = lines.length ? rest : first;
      if (line.length + left.length <= room) {
        line += left;
        left = '';
      } else if (line) {
        lines.push(line);
        line = '';
      } else {
        lines.push(left.slice(0, room));
        left = left.slice(room);
      }
    }
  }
  if (line) lines.push(line);
  return lines;
}
