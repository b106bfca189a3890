// Test helpers that read the report back: a small well-formedness check (balanced tags, escaped text)
// and path parsing. Written independently of the builder so that they can catch its mistakes.

/** Throws unless every element is closed in order and no raw '<' or '&' appears outside markup/entities. */
export function assertWellFormed(svg: string): void {
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/y;
  let i = 0;
  while (i < svg.length) {
    const lt = svg.indexOf("<", i);
    const textPart = svg.slice(i, lt === -1 ? svg.length : lt);
    if (/&(?!(amp|lt|gt|quot|#39);)/.test(textPart))
      throw new Error(`unescaped & near ${JSON.stringify(textPart.slice(0, 40))}`);
    if (lt === -1) break;
    tag.lastIndex = lt;
    const m = tag.exec(svg);
    if (!m) throw new Error(`malformed markup at ${lt}: ${JSON.stringify(svg.slice(lt, lt + 60))}`);
    const [, closing, name, , selfClosing] = m;
    if (closing) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
    } else if (!selfClosing) stack.push(name);
    i = tag.lastIndex;
  }
  if (stack.length) throw new Error(`unclosed <${stack.join("> <")}>`);
}

/** Attributes of every element with the given tag whose attributes match `filter`. */
export function elements(svg: string, tagName: string): Record<string, string>[] {
  const found: Record<string, string>[] = [];
  for (const m of svg.matchAll(new RegExp(`<${tagName}((?:\\s+[\\w:-]+="[^"]*")*)\\s*/?>`, "g"))) {
    found.push(Object.fromEntries([...m[1].matchAll(/([\w:-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]])));
  }
  return found;
}

/** The vertices of a path made of absolute M/L commands. */
export function polyline(d: string): { x: number; y: number }[] {
  return [...d.matchAll(/[ML]\s*(-?[\d.]+)[ ,](-?[\d.]+)/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) }));
}

/** Total area of the rectangles in a path of "M x y h w v h h -w z" subpaths. */
export function rectArea(d: string): { count: number; area: number } {
  let count = 0,
    area = 0;
  for (const m of d.matchAll(/M(-?[\d.]+) (-?[\d.]+)h(-?[\d.]+)v(-?[\d.]+)h(-?[\d.]+)z/g)) {
    count++;
    area += Math.abs(Number(m[3]) * Number(m[4]));
  }
  return { count, area };
}
