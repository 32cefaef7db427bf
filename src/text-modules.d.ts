/** wrangler's Text modules (its default rule for `*.txt`): the file's text as a string. */
declare module '*.txt' {
  const text: string;
  export default text;
}
