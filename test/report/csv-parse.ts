/** A strict RFC 4180 reader for tests: it rejects what a loose writer might get away with. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  let atFieldStart = true;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i++;
        if (i < text.length && text[i] !== "," && text[i] !== "\r") {
          throw new Error(`character after a closing quote at ${i}`);
        }
      } else {
        field += c;
        i++;
      }
    } else if (c === '"') {
      if (!atFieldStart) throw new Error(`quote inside an unquoted field at ${i}`);
      quoted = true;
      atFieldStart = false;
      i++;
    } else if (c === ",") {
      record.push(field);
      field = "";
      atFieldStart = true;
      i++;
    } else if (c === "\r") {
      if (text[i + 1] !== "\n") throw new Error(`CR without LF at ${i}`);
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      atFieldStart = true;
      i += 2;
    } else if (c === "\n") {
      throw new Error(`bare LF outside quotes at ${i}`);
    } else {
      field += c;
      atFieldStart = false;
      i++;
    }
  }
  if (quoted) throw new Error("unterminated quoted field");
  if (!atFieldStart || record.length > 0) throw new Error("last record is not ended by CRLF");
  return records;
}
