/** Text helpers of the subsets panel: subset references, joining filter terms, `name = expression`. */
export type Join = '&&' | '||' | '&& !';

/** `subset('it''s')`: a subset reference for the filter language (quotes doubled). */
export function subsetRef(name: string): string {
  return `subset('${name.replace(/'/g, "''")}')`;
}

/** Append a term to a filter with `join` (a blank filter takes the term alone; `&& !` negates it). */
export function joinFilter(filter: string, term: string, join: Join): string {
  const f = filter.trim();
  if (f === '') return join === '&& !' ? `!${term}` : term;
  return join === '&& !' ? `(${f}) && !${term}` : `(${f}) ${join} ${term}`;
}

/** `ratio = flux / peak` → name and expression (null when there is no `=`). */
export function splitDefinition(text: string): { name: string; expression: string } | null {
  const eq = text.indexOf('=');
  if (eq < 0 || text[eq + 1] === '=') return null;
  return { name: text.slice(0, eq).trim(), expression: text.slice(eq + 1).trim() };
}

