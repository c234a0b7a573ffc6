// @ts-check

/**
 * The QR code of a text, drawn as SVG elements: no image URL, so the page's policy
 * needs no `data:`. The code itself comes from qrcode-generator, a classic script that
 * the page loads before its modules (the global `qrcode`).
 */

const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';
/** The blank margin a scanner needs around the code, in modules. */
const QUIET_ZONE = 4;

/**
 * Draws the QR code of `text` here, so the secret in it never leaves the page. One
 * rectangle per run of dark modules in a row keeps the element count low.
 * @param {string} text
 * @param {string} label
 * @returns {SVGSVGElement}
 */
export function qrCodeSvg(text, label) {
  const code = qrcode(0, 'M');
  code.addData(text);
  code.make();
  const count = code.getModuleCount();
  const size = count + QUIET_ZONE * 2;
  const svg = document.createElementNS(SVG_NAMESPACE, 'svg');
  svg.setAttribute('viewBox', `0 0 ${size} ${size}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('shape-rendering', 'crispEdges');
  svg.append(rectangle(0, 0, size, '#ffffff'));
  for (let row = 0; row < count; row += 1) {
    let column = 0;
    while (column < count) {
      if (!code.isDark(row, column)) {
        column += 1;
        continue;
      }
      let end = column + 1;
      while (end < count && code.isDark(row, end)) end += 1;
      svg.append(rectangle(column + QUIET_ZONE, row + QUIET_ZONE, end - column, '#000000', 1));
      column = end;
    }
  }
  return svg;
}

/**
 * @param {number} x
 * @param {number} y
 * @param {number} width
 * @param {string} fill
 * @param {number} [height] the width when absent
 */
function rectangle(x, y, width, fill, height = width) {
  const rect = document.createElementNS(SVG_NAMESPACE, 'rect');
  rect.setAttribute('x', String(x));
  rect.setAttribute('y', String(y));
  rect.setAttribute('width', String(width));
  rect.setAttribute('height', String(height));
  rect.setAttribute('fill', fill);
  return rect;
}
