// @ts-check

/** How a session's user agent reads in the sessions table. */

/**
 * Which browser on which system, first match winning: Edge and Opera also say Chrome,
 * and Chrome also says Safari.
 * @type {readonly (readonly [RegExp, string])[]}
 */
const BROWSERS = [
  [/Edg(A|iOS)?\//, 'Edge'],
  [/OPR\//, 'Opera'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/HeadlessChrome\//, 'Headless Chrome'],
  [/Chrome\/|CriOS\//, 'Chrome'],
  [/Safari\//, 'Safari'],
];
/** @type {readonly (readonly [RegExp, string])[]} */
const SYSTEMS = [
  [/Android/, 'Android'],
  [/iPhone|iPad/, 'iOS'],
  [/Windows/, 'Windows'],
  [/Mac OS X/, 'macOS'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

/**
 * "Chrome on Windows" for a browser's user agent; anything else (a program's own
 * name, say) as it is.
 * @param {string} userAgent
 */
export function describeUserAgent(userAgent) {
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent));
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent));
  return browser && system ? `${browser[1]} on ${system[1]}` : userAgent;
}
