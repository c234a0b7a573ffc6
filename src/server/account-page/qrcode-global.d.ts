/**
 * The global that qrcode-generator's `dist/qrcode.js` defines when the page loads it
 * with a script tag: only what qr-code.js calls.
 */
declare function qrcode(typeNumber: number, errorCorrectionLevel: 'L' | 'M' | 'Q' | 'H'): qrcode.QrCode;

declare namespace qrcode {
  interface QrCode {
    addData(data: string): void;
    make(): void;
    getModuleCount(): number;
    isDark(row: number, column: number): boolean;
  }
}
