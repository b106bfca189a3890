// Minimal SVG text building: elements as strings, attributes escaped, coordinates rounded so that
// reports with thousands of points stay small.

export type Attrs = Record<string, string | number | undefined>;

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for use in element content or attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** A coordinate rounded to 0.1 px (sub-pixel precision beyond that only adds bytes). */
export function px(value: number): string {
  const r = Math.round(value * 10) / 10;
  return Object.is(r, -0) ? "0" : String(r);
}

function attrText(attrs: Attrs): string {
  let text = "";
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== undefined) text += ` ${name}="${escapeXml(String(value))}"`;
  }
  return text;
}

/** An element; children are already-built SVG strings (text must be escaped by the caller or via text()). */
export function el(tag: string, attrs: Attrs = {}, ...children: string[]): string {
  const inner = children.join("");
  return inner ? `<${tag}${attrText(attrs)}>${inner}</${tag}>` : `<${tag}${attrText(attrs)}/>`;
}

/** A <text> element with escaped content. */
export function text(content: string, attrs: Attrs = {}): string {
  return `<text${attrText(attrs)}>${escapeXml(content)}</text>`;
}
