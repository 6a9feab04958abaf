/**
 * JSON.parse that also takes the bare `Infinity`, `-Infinity` and `NaN` tokens caesar-rest re-emits from CAESAR
 * catalogues (api §3.11): outside strings they become `1e999` (parsed as ±Infinity) and `null`.
 */
export function parseTolerantJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // fall through: rewrite the non-standard tokens, then parse again (a real syntax error still throws)
  }
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (text.startsWith('Infinity', i)) {
      out += '1e999';
      i += 8;
    } else if (text.startsWith('NaN', i)) {
      out += 'null';
      i += 3;
    } else {
      out += ch;
      i++;
    }
  }
  return JSON.parse(out);
}
