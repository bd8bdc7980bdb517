import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';

/**
 * Observable Plot, rendered on the server into a linkedom document, then made fit for Hallway's
 * CSP: Plot's <style> element and any style="" attribute are dropped (hallway.css styles `.chart`
 * instead). The SVG is serialised here, not by linkedom: an HTML document's serialiser writes the
 * text of <title> raw (RCDATA), which would let a department named "</title><script>" out.
 * Every text and attribute value is escaped, so names people typed are safe in the markup.
 */
/** The little of the DOM this file touches (tsconfig has no DOM lib: this is server code). */
interface DomNode {
  nodeType: number;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
}
interface DomElement extends DomNode {
  tagName: string;
  attributes: ArrayLike<{ name: string; value: string }>;
  firstChild: DomNode | null;
  querySelector(selector: string): DomElement | null;
  setAttribute(name: string, value: string): void;
  insertBefore(node: DomNode, before: DomNode | null): void;
}

export function plotSvg(options: Plot.PlotOptions, label: string): string {
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  const figure = Plot.plot({ ...options, document } as Plot.PlotOptions) as unknown as DomElement;
  const svg = figure.tagName.toLowerCase() === 'svg' ? figure : figure.querySelector('svg');
  if (!svg) throw new Error('Plot rendered no SVG');
  svg.setAttribute('class', 'chart');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  const title = document.createElement('title') as unknown as DomNode;
  title.textContent = label;
  svg.insertBefore(title, svg.firstChild);
  return serialize(svg, true);
}

const ELEMENT = 1;
const TEXT = 3;

/**
 * `root` is the chart's <svg role="img">: only it keeps an aria-label. Plot labels each mark's
 * <g> too, which ARIA forbids on an element with no role (axe: aria-prohibited-attr), and an
 * image's parts are not read out anyway.
 */
function serialize(node: DomNode, root = false): string {
  if (node.nodeType === TEXT) return escapeXml(node.textContent ?? '');
  if (node.nodeType !== ELEMENT) return '';
  const el = node as DomElement;
  const tag = el.tagName.toLowerCase();
  if (tag === 'style' || tag === 'script' || tag === 'foreignobject') return '';
  if (!/^[a-z][a-z0-9-]*$/.test(tag)) return '';
  let out = `<${tag}`;
  for (const a of Array.from(el.attributes)) {
    if (a.name === 'style' || a.name.startsWith('on') || !/^[a-z][a-z0-9:-]*$/i.test(a.name)) continue;
    if (!root && (a.name === 'aria-label' || a.name === 'aria-description')) continue;
    out += ` ${a.name}="${escapeXml(a.value)}"`;
  }
  const children = Array.from(el.childNodes).map((c) => serialize(c)).join('');
  return `${out}>${children}</${tag}>`;
}

/** An SVG-safe text: for the few attributes Hallway writes by hand. */
export const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
