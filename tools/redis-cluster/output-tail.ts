/** Keeps the last `maxLines` non-blank lines of a child's output, which arrives in arbitrary chunks. */
export function createOutputTail(maxLines: number) {
  const lines: string[] = [];
  let partialLine = '';
  return {
    /** Returns the lines this chunk completed. */
    append(chunk: string): string[] {
      const pieces = (partialLine + chunk).split('\n');
      partialLine = pieces.pop() ?? '';
      const completeLines = pieces.filter((line) => line.trim() !== '');
      lines.push(...completeLines);
      lines.splice(0, Math.max(0, lines.length - maxLines));
      return completeLines;
    },
    text(): string {
      return [...lines, partialLine].filter((line) => line.trim() !== '').join('\n');
    },
  };
}
