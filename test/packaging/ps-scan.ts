// A syntax scan of PowerShell scripts for the packaging tests (no pwsh on this machine): brackets balanced outside
// strings and comments, strings closed, and two mistakes PowerShell makes silently or at run time only.
/** The problems found in one script; empty when the scan passes. */
export function scanPowerShell(text: string): string[] {
  const problems: string[] = [];
  const stack: { ch: string; line: number }[] = [];
  const pairs: Record<string, string> = { ')': '(', '}': '{', ']': '[' };
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') { line++; continue; }
    if (c === '<' && text[i + 1] === '#') { const end = text.indexOf('#>', i + 2); if (end < 0) problems.push(`line ${line}: unclosed <# comment`); line += countLines(text, i, end); i = end < 0 ? text.length : end + 1; continue; }
    if (c === '#') { while (i < text.length && text[i] !== '\n') i++; i--; continue; }
    if (c === "'" || c === '"') {
      const start = line;
      let j = i + 1;
      for (; j < text.length; j++) {
        if (c === '"' && text[j] === '`') { j++; continue; }
        if (text[j] === c) { if (text[j + 1] === c) { j++; continue; } break; }
      }
      if (j >= text.length) { problems.push(`line ${start}: unclosed string`); break; }
      const body = text.slice(i + 1, j);
      // "$name:" inside a double-quoted string is read as a scope or drive qualifier ($env:, $script:), an error.
      const m = c === '"' ? /\$(\w+):(?!:)/.exec(body) : null;
      if (m && !['env', 'script', 'global', 'local', 'using', 'private'].includes(m[1]!.toLowerCase())) problems.push(`line ${start}: "$${m[1]}:" in a string (use \${${m[1]}})`);
      line += countLines(text, i, j);
      i = j;
      continue;
    }
    if (c === '(' || c === '{' || c === '[') stack.push({ ch: c, line });
    else if (c in pairs) {
      const open = stack.pop();
      if (!open || open.ch !== pairs[c]) problems.push(`line ${line}: "${c}" closes ${open ? `"${open.ch}" of line ${open.line}` : 'nothing'}`);
    }
  }
  for (const open of stack) problems.push(`line ${open.line}: "${open.ch}" never closed`);
  // $args is automatic: assigning it is legal but shadows the script's arguments.
  if (/\$args\s*=/i.test(text)) problems.push('assigns the automatic variable $args');
  return problems;
}

function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let k = from; k < (to < 0 ? text.length : to); k++) if (text[k] === '\n') n++;
  return n;
}
