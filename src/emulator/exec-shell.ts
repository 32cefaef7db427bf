/**
 * The emulator's tiny shell language, for `sh -c '…'` and the interactive `sh`: words with
 * single and double quotes, commands separated by `;`, `&&`, `||` or newlines, and `>&2` to
 * send a command's output to stderr. Pure: text in, commands out.
 */

export interface ShellCommand {
  words: string[];
  /** How this command joins the previous one. */
  join: ';' | '&&' | '||';
  /** `>&2` (or `1>&2`): the command's stdout goes to stderr. */
  toStderr: boolean;
}

/** Splits a script into commands; throws a SyntaxError for an unterminated quote. */
export function parseScript(script: string): ShellCommand[] {
  const commands: ShellCommand[] = [];
  let words: string[] = [];
  let word: string | undefined;
  let join: ShellCommand['join'] = ';';
  let toStderr = false;
  const endWord = () => {
    if (word === undefined) return;
    if (word === '>&2' || word === '1>&2') toStderr = true;
    else words.push(word);
    word = undefined;
  };
  const endCommand = (next: ShellCommand['join']) => {
    endWord();
    if (words.length) commands.push({ words, join, toStderr });
    words = [];
    toStderr = false;
    join = next;
  };
  for (let i = 0; i < script.length; i++) {
    const ch = script[i] as string;
    if (ch === "'" || ch === '"') {
      const close = script.indexOf(ch, i + 1);
      if (close < 0) throw new SyntaxError(`unterminated quoted string`);
      word = (word ?? '') + script.slice(i + 1, close);
      i = close;
    } else if (ch === ' ' || ch === '\t') {
      endWord();
    } else if (ch === ';' || ch === '\n') {
      endCommand(';');
    } else if ((ch === '&' || ch === '|') && script[i + 1] === ch) {
      endCommand(ch === '&' ? '&&' : '||');
      i++;
    } else {
      word = (word ?? '') + ch;
    }
  }
  endCommand(';');
  return commands;
}
