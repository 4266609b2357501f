// Types for the `lucene` package (bripkens/lucene 2.x), which ships none: the AST its PEG parser returns.
declare module 'lucene' {
  export interface LuceneLocation {
    start: { offset: number; line: number; column: number };
    end: { offset: number; line: number; column: number };
  }
  export interface LuceneTermNode {
    field: string;
    term: string;
    quoted: boolean;
    regex: boolean;
    similarity?: number | null;
    proximity?: number | null;
    boost?: number | null;
    prefix?: '+' | '-' | null;
    termLocation?: LuceneLocation | null;
  }
  export interface LuceneRangeNode {
    field: string;
    term_min: string;
    term_max: string;
    inclusive: 'both' | 'left' | 'right' | 'none';
  }
  export interface LuceneBinaryNode {
    start?: 'NOT';
    /** Missing when the query is only an operator (`AND`, `NOT`): the parser returns `{operator}`. */
    left?: LuceneNode;
    operator?: 'AND' | 'OR' | 'AND NOT' | 'OR NOT' | 'NOT' | '<implicit>';
    right?: LuceneNode;
    parenthesized?: boolean;
    field?: string;
  }
  export type LuceneNode = LuceneTermNode | LuceneRangeNode | LuceneBinaryNode;
  export function parse(query: string): LuceneBinaryNode;
  const lucene: { parse: typeof parse };
  export default lucene;
}
