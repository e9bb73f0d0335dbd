// wrap-ansi 6 ships no types (7 and later do); the one call the interactive face makes
declare module 'wrap-ansi' {
  export interface Options {
    /** break words longer than the width (default false: they stay whole) */
    hard?: boolean;
    /** wrap at spaces (default true) */
    wordWrap?: boolean;
    /** trim the spaces at the ends of each line (default true) */
    trim?: boolean;
  }
  export default function wrapAnsi(input: string, columns: number, options?: Options): string;
}
