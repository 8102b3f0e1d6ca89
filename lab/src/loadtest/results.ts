// What a JMeter run left behind. JMeter's exit code is not trusted (2.x exits 0 when the plan
// fails to load): a run counts only when its JTL has a header and at least one sample.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';

export interface JtlInspection {
  exists: boolean;
  bytes: number;
  /** Column names from the first line, or null when there is no CSV header. */
  header: string[] | null;
  /** Records after the header (a quoted field spanning lines counts once). */
  samples: number;
}

/** Counts the samples of a CSV JTL without keeping them (constant memory). */
export async function inspectJtl(file: string): Promise<JtlInspection> {
  if (!existsSync(file)) return { exists: false, bytes: 0, header: null, samples: 0 };
  const bytes = statSync(file).size;
  if (bytes === 0) return { exists: true, bytes, header: null, samples: 0 };
  const headParts: Buffer[] = [];
  let firstLine: string | null = null;
  let records = 0;
  let inQuotes = false;
  let lineHasData = false;
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) {
    const buf = chunk as Buffer;
    let i = 0;
    if (firstLine === null) {
      const nl = buf.indexOf(0x0a);
      if (nl < 0) {
        headParts.push(buf);
        continue;
      }
      headParts.push(buf.subarray(0, nl));
      firstLine = Buffer.concat(headParts).toString('utf8');
      i = nl + 1;
    }
    for (; i < buf.length; i++) {
      const c = buf[i];
      if (c === 0x22) inQuotes = !inQuotes;
      else if (c === 0x0a && !inQuotes) {
        if (lineHasData) records++;
        lineHasData = false;
      } else if (c !== 0x0d) lineHasData = true;
    }
  }
  if (firstLine === null) firstLine = Buffer.concat(headParts).toString('utf8');
  if (lineHasData) records++; // the last line has no newline
  const fields = firstLine.replace(/\r$/, '').split(',');
  const header = fields.includes('timeStamp') && fields.includes('label') ? fields : null;
  return {
    exists: true,
    bytes,
    header,
    samples: header ? records : records + (firstLine.trim() ? 1 : 0),
  };
}

/**
 * The last lines of jmeter.log worth showing: errors and warnings first (they say why a plan
 * did not load), else the plain tail.
 */
export function logTail(file: string, lines = 12): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [`(no ${file}: JMeter did not start or could not write its log)`];
  }
  const all = text.split('\n').filter((l) => l.trim() !== '');
  const important = all.filter((l) =>
    /\b(ERROR|FATAL_ERROR|FATAL)\b|Exception|Error in NonGUIDriver/.test(l),
  );
  const picked = important.length > 0 ? important : all;
  return picked.slice(-lines).map((l) => (l.length > 300 ? `${l.slice(0, 300)}…` : l));
}
