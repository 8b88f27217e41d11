// Building DOM from data: text goes in through textContent only, never as HTML.

/**
 * Create an element. `props`: {cls, text, attrs, data, title, on: {event: handler}}.
 * Children may be nodes, strings (inserted as text nodes) or null (skipped).
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  if (props.cls) node.className = props.cls;
  if (props.text !== undefined && props.text !== null) node.textContent = String(props.text);
  if (props.title) node.title = props.title;
  for (const [name, value] of Object.entries(props.attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const [name, value] of Object.entries(props.data || {})) {
    node.dataset[name] = String(value);
  }
  for (const [event, handler] of Object.entries(props.on || {})) {
    node.addEventListener(event, handler);
  }
  append(node, ...children);
  return node;
}

export function append(node, ...children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Replace all children of `node` (no HTML parsing involved). */
export function fill(node, ...children) {
  node.replaceChildren();
  return append(node, ...children);
}

export function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`no element #${id}`);
  return node;
}

export function setText(id, text) {
  byId(id).textContent = text === null || text === undefined ? "" : String(text);
}

/** A small transient message at the bottom of the screen. */
export function toast(message, kind = "info", ms = 4000) {
  let box = document.getElementById("toast");
  if (!box) {
    box = el("div", { cls: "toast", attrs: { id: "toast", role: "status", "aria-live": "polite" } });
    document.body.append(box);
  }
  box.textContent = message;
  box.dataset.kind = kind;
  box.hidden = false;
  clearTimeout(box._timer);
  box._timer = setTimeout(() => {
    box.hidden = true;
  }, ms);
}

/** Path segment after a prefix, e.g. pathPart("/live/") on /live/S1 -> "S1". */
export function pathPart(prefix) {
  const path = window.location.pathname;
  if (!path.startsWith(prefix)) return "";
  const rest = path.slice(prefix.length).split("/")[0];
  try {
    return decodeURIComponent(rest);
  } catch {
    return "";
  }
}
