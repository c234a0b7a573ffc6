import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * The fenced code blocks of `language` under a heading of a Markdown file of the
 * repository (up to the next heading of the same or a higher level), as written.
 */
export function blocksUnder(path: string, heading: string, language: string): string[] {
  const lines = readFileSync(join(ROOT, path), 'utf8').split('\n');
  const blocks: string[] = [];
  let level: number | undefined; // the heading's level while inside its section
  let fence: { readonly language: string; readonly lines: string[] } | undefined;
  for (const line of lines) {
    if (fence !== undefined) {
      if (line !== '```') fence.lines.push(line);
      else {
        if (level !== undefined && fence.language === language) blocks.push(fence.lines.join('\n'));
        fence = undefined;
      }
      continue;
    }
    if (line.startsWith('```')) {
      fence = { language: line.slice(3), lines: [] };
      continue;
    }
    const headingMark = /^(#+) (.*)$/.exec(line);
    if (headingMark === null) continue;
    if (level !== undefined && headingMark[1].length <= level) break;
    if (headingMark[2] === heading) level = headingMark[1].length;
  }
  if (blocks.length === 0) throw new Error(`${path} has no ${language} block under "${heading}"`);
  return blocks;
}

/** A documented answer as a pattern: `…` stands for any text. */
export function documentedAnswer(text: string): RegExp {
  const parts = text.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`);
}
