// @ts-check

/** Building blocks of the page: its elements, new ones, status lines and times. */

/** @typedef {'error' | 'success' | 'note'} StatusKind */

/**
 * @template {HTMLElement} T
 * @param {string} id
 * @param {{ new (): T, prototype: T }} type
 * @returns {T}
 */
export function byId(id, type) {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`#${id} is missing from the page, or not a ${type.name}`);
  return found;
}

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {string} [text]
 * @param {string} [className]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function element(tag, text, className) {
  const created = document.createElement(tag);
  if (text !== undefined) created.textContent = text;
  if (className) created.className = className;
  return created;
}

/** @type {HTMLElement[]} */
const statusLines = [];

/**
 * A section's status line, where the outcome of what the user asked for lands as text
 * a screen reader announces. `clearStatuses` empties every one taken from here.
 * @param {string} id
 */
export function statusLine(id) {
  const line = byId(id, HTMLParagraphElement);
  statusLines.push(line);
  return line;
}

/**
 * @param {HTMLElement} status
 * @param {string} text
 * @param {StatusKind} [kind]
 */
export function setStatus(status, text, kind = 'note') {
  status.textContent = text;
  status.classList.toggle('error', kind === 'error' && text !== '');
  status.classList.toggle('success', kind === 'success' && text !== '');
}

export function clearStatuses() {
  for (const line of statusLines) setStatus(line, '');
}

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** @param {string} iso */
export function formatTime(iso) {
  return dateTimeFormat.format(new Date(iso));
}

/** @param {string} iso */
export function timeElement(iso) {
  const time = element('time', formatTime(iso));
  time.dateTime = iso;
  return time;
}
